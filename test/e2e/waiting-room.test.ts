/**
 * The waiting room in Chromium: with a show's queue on, a signed-in moviegoer gets the waiting
 * page instead of the seat map (their number in line, who is ahead, the wait in words, a
 * progress bar), keeps the place over a reload, follows the line live and lands on the seat
 * map when their turn comes; before opening, the page says when places are drawn. Staff turn
 * the queue on from the dashboard and watch it fill. Phone (360 px) in en/hi/te, laptop en,
 * axe clean. Screenshots: test/artifacts/waiting-room-*.png, staff-waiting-room*.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PutQueueRequest, QueueJoinResult, ShowSummary } from '../../protocol/index.js';
import { expectAccessible, launchBrowser, shot, signIn, tomorrowsShows } from '../support/browser.js';
import { ack, call, startHarness, TestClock, type ClientSocket, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
const sizes = { laptop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } } as const;
type Size = keyof typeof sizes;

beforeAll(async () => {
  // A clock the test moves: admission is counted in minutes (admitPerMinute 1 lets one in a minute).
  h = await startHarness({ demoData: true, clock: new TestClock(), config: { clientDir } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

let showsUsed = 0;
async function nextShow(): Promise<ShowSummary> {
  const shows = await tomorrowsShows(h.url);
  const id = shows.filter((s) => s.capacity < 1000)[showsUsed++]!.id;
  return ((await call(h.url, 'GET', `/api/shows/${id}`)).body as { show: ShowSummary }).show;
}

async function staffOf(theatreId: string) {
  const email = `queue-staff-${Math.random().toString(36).slice(2)}@test.example`;
  const password = 'correct horse battery';
  const r = await h.app.services.auth.register({ name: 'Sita', email, password }, 'staff', [theatreId]);
  if (!r.ok) throw new Error('staff register failed');
  return { email, password, token: r.value.token };
}

async function queueOn(show: ShowSummary, settings: PutQueueRequest) {
  const staff = await staffOf(show.theatre.id);
  const r = await call(h.url, 'PUT', `/api/staff/shows/${show.id}/queue`, { token: staff.token, body: settings });
  if (r.status !== 200) throw new Error(`PUT queue: ${r.status} ${JSON.stringify(r.body)}`);
}

/** `n` other buyers take their places first (over sockets), in order. */
async function othersInLine(showId: string, n: number): Promise<ClientSocket[]> {
  const sockets: ClientSocket[] = [];
  for (let i = 0; i < n; i++) {
    const u = await h.register('ahead');
    const s = await h.connect(u.token);
    const r = await ack<{ ok: true } & QueueJoinResult>(s, 'queue:join', { showId });
    if (!r.ok || r.status !== 'waiting') throw new Error(`queue:join: ${JSON.stringify(r)}`);
    sockets.push(s);
  }
  return sockets;
}

async function buyerPage(size: Size, lang = 'en'): Promise<Page> {
  const u = await h.register('waiter');
  const phone = size === 'phone';
  const context = await browser.newContext({ viewport: sizes[size], hasTouch: phone, isMobile: phone });
  await context.addInitScript((l) => localStorage.setItem('mm.locale', l), lang);
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return page;
}

const position = async (page: Page) => Number(await page.getAttribute('[data-testid=queue-position]', 'data-position'));
const progress = async (page: Page) => Number(await page.getAttribute('[data-testid=queue-progress]', 'value'));
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
/** One admission round after `ms` of the test clock (pushes positions to the waiters too). */
async function round(ms = 0) {
  h.clock.advance(ms);
  await h.app.services.waitingRoom.tick();
}

describe('the waiting room', () => {
  it('number 3 in line waits on the phone (place, people ahead, wait, progress), keeps the place over a reload, moves to 2 and 1 live, then gets the seat map and holds a seat', async () => {
    const show = await nextShow();
    await queueOn(show, { admitPerMinute: 1 });
    await othersInLine(show.id, 2);
    const page = await buyerPage('phone');
    await page.goto(`${h.url}/shows/${show.id}`);
    await page.waitForSelector('[data-testid=queue-position]');
    expect(await position(page)).toBe(3);
    expect(await page.textContent('[data-testid=queue-position]')).toContain('You are number 3 in line');
    expect(await page.textContent('[data-testid=queue-ahead]')).toContain('2 people ahead of you');
    expect(await page.textContent('[data-testid=queue-wait]')).toContain('about 3 minutes');
    expect(await progress(page)).toBe(0);
    expect(await page.$('[role=gridcell]')).toBeNull();
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: shot('waiting-room-en-phone'), fullPage: true });
    await expectAccessible(page, 'waiting room (en, phone)');

    await page.reload();
    await page.waitForSelector('[data-testid=queue-position]');
    expect(await position(page)).toBe(3);

    await round(); // the first of minute 0 goes in
    await expect.poll(() => position(page), { timeout: 5000 }).toBe(2);
    expect(await progress(page)).toBe(50);
    expect(await page.textContent('[data-testid=queue-ahead]')).toContain('1 person ahead of you');
    expect(await page.textContent('[data-testid=queue-announcement]')).toContain('number 2');
    await page.screenshot({ path: shot('waiting-room-en-phone-moved'), fullPage: true });
    // The bar starts from the first join of this browser session, not from the reload.
    await page.reload();
    await page.waitForSelector('[data-testid=queue-position]');
    expect(await position(page)).toBe(2);
    expect(await progress(page)).toBe(50);

    await round(60_000);
    await expect.poll(() => position(page), { timeout: 5000 }).toBe(1);
    expect(await page.textContent('[data-testid=queue-ahead]')).toContain("you're next");

    await round(60_000); // our turn: queue:admitted, then the seat map with the pass
    await page.waitForSelector('[role=gridcell]', { timeout: 5000 });
    expect(await page.$('[data-testid=waiting-room]')).toBeNull();
    const stored = await page.evaluate((id) => sessionStorage.getItem(`mm.pass.${id}`), show.id);
    expect(JSON.parse(stored!).pass).toMatch(/^qp\./);
    // 15 minutes of the server's clock (which this test has moved 2 minutes ahead of the browser's).
    expect(await page.textContent('[data-testid=pass-left]')).toMatch(/^Your turn: 1[4-7] min left to choose$/);
    await page.screenshot({ path: shot('waiting-room-en-phone-turn') });
    const free = await page.getAttribute('[role=gridcell][data-state=free]', 'data-seat');
    await page.tap(`[data-seat="${free}"]`);
    await expect.poll(() => page.getAttribute(`[data-seat="${free}"]`, 'data-state'), { timeout: 5000 }).toBe('mine');
    await page.screenshot({ path: shot('waiting-room-en-phone-admitted') });
    await page.context().close();
  });

  it('before opening, the page says when places are drawn at random, with no number yet', async () => {
    const show = await nextShow();
    const opensAt = new Date(h.clock.now() + 10 * 60_000);
    await queueOn(show, { admitPerMinute: 1, opensAt: opensAt.toISOString() });
    const page = await buyerPage('phone');
    await page.goto(`${h.url}/shows/${show.id}`);
    await page.waitForSelector('[data-testid=queue-opens]');
    const time = new Intl.DateTimeFormat('en-IN', { timeZone: show.timeZone, hour: 'numeric', minute: '2-digit' }).format(opensAt);
    expect(await page.textContent('[data-testid=queue-opens]')).toBe(`The queue opens at ${time}. Everyone who arrives before then gets a random place — no need to refresh.`);
    expect(await page.$('[data-testid=queue-position]')).toBeNull();
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: shot('waiting-room-prequeue-en-phone'), fullPage: true });
    await expectAccessible(page, 'pre-queue (en, phone)');
    await page.context().close();
  });

  it.each([
    ['hi', 'phone'],
    ['te', 'phone'],
    ['en', 'laptop'],
  ] as const)('in %s on the %s, the waiting page shows number 3 and a progress bar, fits the width and is axe clean', async (lang, size) => {
    const show = await nextShow();
    await queueOn(show, { admitPerMinute: 1 });
    await othersInLine(show.id, 2);
    const page = await buyerPage(size, lang);
    await page.goto(`${h.url}/shows/${show.id}`);
    await page.waitForSelector('[data-testid=queue-position]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await position(page)).toBe(3);
    expect(await page.textContent('[data-testid=queue-position]')).toContain('3');
    expect(await page.isVisible('[data-testid=queue-progress]')).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: shot(`waiting-room-${lang}-${size}`), fullPage: true });
    await expectAccessible(page, `waiting room (${lang}, ${size})`);
    await page.context().close();
  });
});

describe('the waiting room on the staff dashboard', () => {
  it('staff turn the queue on for a show, see the buyers waiting, and end it with a confirm step (everyone admitted)', async () => {
    const show = await nextShow();
    const staff = await staffOf(show.theatre.id);
    const context = await browser.newContext({ viewport: sizes.laptop });
    const page = await context.newPage();
    await signIn(page, h.url, staff.email, staff.password);
    await page.goto(`${h.url}/staff?date=${show.startsAt.slice(0, 10)}`);
    const row = `[data-show="${show.id}"]`;
    await page.click(`${row} [data-testid=queue-toggle]`);
    await page.waitForSelector('[data-testid=queue-state][data-on=false]');
    await page.fill('[data-testid=queue-admit-per-minute]', '1');
    await page.fill('[data-testid=queue-pass-minutes]', '10');
    await page.click('[data-testid=queue-save]');
    await page.waitForSelector('[data-testid=queue-state][data-on=true]');
    expect(await page.textContent('[data-testid=queue-done]')).toBe('Saved.');

    await othersInLine(show.id, 2);
    await expect.poll(() => page.textContent('[data-testid=queue-waiting]'), { timeout: 12_000 }).toBe('2');
    await page.locator('[data-testid=queue-panel]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('staff-waiting-room'), fullPage: true });
    await expectAccessible(page, 'staff waiting room panel');

    await page.click('[data-testid=queue-end]');
    await page.click('[data-testid=queue-end-yes]');
    await page.waitForSelector('[data-testid=queue-state][data-on=false]');
    expect(await page.textContent('[data-testid=queue-done]')).toBe('Queue ended: 2 people admitted.');
    expect((await call(h.url, 'GET', `/api/staff/shows/${show.id}/queue`, { token: staff.token })).body).toEqual({ queue: null });
    await context.close();
  });
});
