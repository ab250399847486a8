/**
 * Leaving the seat map releases the seats you hold on that show (the README's promise),
 * unless you are on the way to checkout or another tab of yours still shows that show;
 * a reload keeps them. A second, independent client (a socket watching the room) is the
 * judge: it sees the seats go free.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../protocol/index.js';
import { launchBrowser, shot, signIn, tomorrowsShows } from '../support/browser.js';
import { ack, startHarness, waitFor, type ClientSocket, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
let watcher: ClientSocket;
/** The watcher's view of every show it joined: seat id → status. */
const seen = new Map<string, Map<string, string>>();

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir, leaveGraceMs: 1500 } });
  browser = await launchBrowser();
  watcher = await h.connect();
  watcher.on('seats:changed', (m) => {
    const view = seen.get(m.showId);
    for (const c of m.changes) view?.set(c.seatId, c.status);
  });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

let showsUsed = 0;
/** A different normal-sized show for each test, watched by the judge. */
async function nextShow(): Promise<string> {
  const shows = await tomorrowsShows(h.url);
  const showId = shows.filter((s) => s.capacity < 1000)[showsUsed++]!.id;
  const joined = await ack<{ ok: true; snapshot: Snapshot }>(watcher, 'show:join', { showId });
  seen.set(showId, new Map(joined.snapshot.seats.map((s) => [s.id, s.status])));
  return showId;
}

async function signedInContext(): Promise<BrowserContext> {
  const u = await h.register('leaver');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await signIn(await context.newPage(), h.url, u.email, u.password);
  return context;
}

async function holdTwo(page: Page, showId: string, opts = { navigate: true }): Promise<string[]> {
  if (opts.navigate) await page.goto(`${h.url}/shows/${showId}`);
  await page.waitForSelector('[role=gridcell]');
  const seats = await page.$$eval('[role=gridcell][data-state=free]', (cells) => cells.slice(0, 2).map((c) => c.getAttribute('data-seat')!));
  for (const id of seats) await page.click(`[data-seat="${id}"]`);
  for (const id of seats) await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
  await waitFor(() => seats.every((id) => seen.get(showId)!.get(id) === 'held'), 5000, 'the watcher to see the holds');
  return seats;
}

/** Waits (generously) for the judge to see the seats free; returns how long that took. */
async function seenFree(showId: string, seats: string[], since: number): Promise<number> {
  await waitFor(() => seats.every((id) => seen.get(showId)!.get(id) === 'free'), 5000, `${seats.join(', ')} free`);
  return Date.now() - since;
}

const stillHeld = (showId: string, seats: string[]) => seats.every((id) => seen.get(showId)!.get(id) === 'held');

describe('leaving the seat map', () => {
  it('the page\'s own "← Showtimes" link releases the held seats; another client sees them free', async () => {
    const showId = await nextShow();
    const page = await (await signedInContext()).newPage();
    const seats = await holdTwo(page, showId);
    const clicked = Date.now();
    await page.click('text=← Showtimes');
    await page.waitForURL(/\/movies\//);
    console.log(`[leaving] back link: seats seen free by another client after ${await seenFree(showId, seats, clicked)} ms`);
  });

  it("the browser's Back button releases the held seats", async () => {
    const showId = await nextShow();
    const page = await (await signedInContext()).newPage();
    await page.goto(`${h.url}/shows/${showId}`);
    // Into the app's own history: to the movie page and back to this show by its showtime link.
    await page.click('text=← Showtimes');
    await page.click(`a[href="/shows/${showId}"]`);
    const seats = await holdTwo(page, showId, { navigate: false });
    const back = Date.now();
    await page.goBack();
    expect(new URL(page.url()).pathname).toMatch(/^\/movies\//);
    console.log(`[leaving] Back button: seats seen free after ${await seenFree(showId, seats, back)} ms`);
  });

  it('a reload keeps the seats, and so does going to checkout and back to the map', async () => {
    const showId = await nextShow();
    const page = await (await signedInContext()).newPage();
    const seats = await holdTwo(page, showId);
    await page.reload();
    for (const id of seats) await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    await page.click(`a[href="/shows/${showId}"]`);
    for (const id of seats) await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
    // Longer than the grace a closing tab gets: nothing was released meanwhile.
    await new Promise((r) => setTimeout(r, 2500));
    expect(stillHeld(showId, seats)).toBe(true);
    expect(await page.textContent('[data-testid=my-seats]')).toBe(seats.join(', '));
  });

  it('leaving checkout for another page releases the seats', async () => {
    const showId = await nextShow();
    const page = await (await signedInContext()).newPage();
    const seats = await holdTwo(page, showId);
    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    const left = Date.now();
    await page.click('header a[href="/"]');
    console.log(`[leaving] checkout → home: seats seen free after ${await seenFree(showId, seats, left)} ms`);
  });

  it('leaving in one tab keeps the seats while another tab of the same user still shows that seat map', async () => {
    const showId = await nextShow();
    const context = await signedInContext();
    const first = await context.newPage();
    const seats = await holdTwo(first, showId);
    const second = await context.newPage();
    await second.goto(`${h.url}/shows/${showId}`);
    for (const id of seats) await second.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
    await first.click('text=← Showtimes');
    await first.waitForURL(/\/movies\//);
    await new Promise((r) => setTimeout(r, 2500));
    expect(stillHeld(showId, seats)).toBe(true);
    // The last tab leaving does release them.
    const left = Date.now();
    await second.click('text=← Showtimes');
    console.log(`[leaving] last of two tabs: seats seen free after ${await seenFree(showId, seats, left)} ms`);
  });

  it('closing the tab releases the seats after a short grace (a reload in that time would have kept them)', async () => {
    const showId = await nextShow();
    const page = await (await signedInContext()).newPage();
    const seats = await holdTwo(page, showId);
    await page.screenshot({ path: shot('leaving-before-close') });
    const closed = Date.now();
    await page.close({ runBeforeUnload: true });
    console.log(`[leaving] closed tab: seats seen free after ${await seenFree(showId, seats, closed)} ms (grace 1.5 s)`);
  });
});
