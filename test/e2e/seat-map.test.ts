/**
 * The seat map and checkout in Chromium: your own seats release on a tap, a refused tap
 * names the seat it was about without moving the map, and a hold that runs out says so
 * (on the map and at checkout) with the way back.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, HoldResult } from '../../protocol/index.js';
import { launchBrowser, shot, signIn, tomorrowsShows } from '../support/browser.js';
import { ack, startHarness, TestClock, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
const HOLD_SECONDS = 6;

beforeAll(async () => {
  // Real time on both sides, a short hold and a running sweeper: holds really run out.
  const clock = Object.assign(new TestClock(), { now: () => Date.now() });
  h = await startHarness({ demoData: true, clock, config: { clientDir, holdSeconds: HOLD_SECONDS, sweepIntervalMs: 250 } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

let showsUsed = 0;
async function nextShow(): Promise<string> {
  const shows = await tomorrowsShows(h.url);
  return shows.filter((s) => s.capacity < 1000)[showsUsed++]!.id;
}

async function signedInPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const u = await h.register('mapper');
  const context = await browser.newContext({ viewport, hasTouch: viewport.width < 600, isMobile: viewport.width < 600 });
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return page;
}

/** Taps a seat as a person would: scrolled to the middle of the screen, whatever its state (taken seats are aria-disabled). */
async function tapSeat(page: Page, seat: string) {
  const box = await page.$eval(`[data-seat="${seat}"]`, (el) => {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await page.touchscreen.tap(box.x, box.y);
}

const stateOf = (page: Page, seat: string) => page.getAttribute(`[data-seat="${seat}"]`, 'data-state');

describe('seat map', () => {
  it('tapping each of your own held seats releases it, on a phone, in the first and the last rows', async () => {
    const showId = await nextShow();
    const page = await signedInPage({ width: 360, height: 740 });
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    const rows = await page.$$eval('[role=row]', (rs) => rs.map((r) => [...r.querySelectorAll('[data-state=free]')].map((c) => c.getAttribute('data-seat')!)));
    const picks = [...rows[0]!.slice(0, 2), ...rows[rows.length - 1]!.slice(-2)];
    for (const id of picks) {
      await page.tap(`[data-seat="${id}"]`);
      await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
    }
    await page.screenshot({ path: shot('own-seats-phone'), fullPage: true });
    for (const id of picks) {
      await page.tap(`[data-seat="${id}"]`);
      await page.waitForSelector(`[data-seat="${id}"][data-state=free]`, { timeout: 5000 });
    }
    expect(await page.$$('[data-state=mine]')).toHaveLength(0);
  });

  it('a seat you hold from another tab shows as yours here too, and a tap here releases it', async () => {
    const showId = await nextShow();
    const first = await signedInPage();
    const second = await first.context().newPage();
    await Promise.all([first.goto(`${h.url}/shows/${showId}`), second.goto(`${h.url}/shows/${showId}`)]);
    await Promise.all([first.waitForSelector('[role=gridcell]'), second.waitForSelector('[role=gridcell]')]);
    await first.click('[data-seat="E5"]');
    await second.waitForSelector('[data-seat="E5"][data-state=mine]', { timeout: 5000 });
    await second.click('[data-seat="E5"]');
    await first.waitForSelector('[data-seat="E5"][data-state=free]', { timeout: 5000 });
    await second.waitForSelector('[data-seat="E5"][data-state=free]');
  });

  it('tapping a taken seat names that seat, each time, and the message does not move the map', async () => {
    const showId = await nextShow();
    const other = await h.register('other');
    const socket = await h.connect(other.token);
    // Booked, not held: this file's holds last seconds.
    expect((await ack<Ack<HoldResult>>(socket, 'seat:hold', { showId, seatIds: ['C3', 'D4'] })).ok).toBe(true);
    expect((await ack<Ack<object>>(socket, 'booking:confirm', { showId, idempotencyKey: 'other-user-books' })).ok).toBe(true);
    const page = await signedInPage({ width: 360, height: 740 });
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[data-seat="C3"][data-state=booked]');
    const gridTop = () => page.$eval('[role=grid]', (el) => el.getBoundingClientRect().top + window.scrollY);
    const before = await gridTop();
    await tapSeat(page, 'C3');
    await expect.poll(() => page.textContent('[data-testid=seat-notice]')).toContain('C3');
    expect(await gridTop()).toBe(before);
    await page.screenshot({ path: shot('taken-seat-notice-phone') });
    await tapSeat(page, 'D4');
    await expect.poll(() => page.textContent('[data-testid=seat-notice]')).toContain('D4');
    expect(await page.textContent('[data-testid=seat-notice]')).not.toContain('C3');
    expect(await gridTop()).toBe(before);
    // A seat someone takes between our look and our tap: the server's refusal names it too.
    const [free] = await page.$$eval('[role=gridcell][data-state=free]', (cells) => cells.slice(-1).map((c) => c.getAttribute('data-seat')!));
    expect((await ack<Ack<HoldResult>>(socket, 'seat:hold', { showId, seatIds: [free!] })).ok).toBe(true);
    await tapSeat(page, free!);
    await expect.poll(() => page.textContent('[data-testid=seat-notice]')).toContain(free!);
    expect(await stateOf(page, free!)).not.toBe('mine');
  });

  it('when the hold runs out on the seat map it says time ran out and the seats were released', async () => {
    const showId = await nextShow();
    const page = await signedInPage();
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    const [seat] = await page.$$eval('[role=gridcell][data-state=free]', (cells) => cells.slice(0, 1).map((c) => c.getAttribute('data-seat')!));
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`);
    await page.waitForSelector('[data-testid=hold-expired]', { timeout: (HOLD_SECONDS + 10) * 1000 });
    expect(await page.textContent('[data-testid=hold-expired]')).toMatch(/time ran out/i);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=free]`);
    await page.screenshot({ path: shot('hold-expired-map') });
  });

  it('when the hold runs out at checkout it says so (not "no seats picked") and leads back to that seat map', async () => {
    const showId = await nextShow();
    const page = await signedInPage();
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    const [seat] = await page.$$eval('[role=gridcell][data-state=free]', (cells) => cells.slice(0, 1).map((c) => c.getAttribute('data-seat')!));
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`);
    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    await page.waitForSelector('[data-testid=hold-expired]', { timeout: (HOLD_SECONDS + 10) * 1000 });
    const text = await page.textContent('[data-testid=hold-expired]');
    expect(text).toMatch(/time ran out/i);
    expect(text).not.toMatch(/No seats picked/);
    await page.screenshot({ path: shot('hold-expired-checkout') });
    await page.click(`[data-testid=hold-expired] a[href="/shows/${showId}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=free]`);
  });
});
