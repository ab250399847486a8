/**
 * "How many seats?" and Best available in Chromium: the count is remembered for the session,
 * Best available holds that many seats side by side (then they are yours to change by
 * tapping), a manual pick that leaves a single empty seat is warned about and fixed with one
 * button; laptop and 360 px phone in en/hi/te, axe clean. Screenshots:
 * test/artifacts/best-available-<lang>-<size>.png and best-available-strand-<size>.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeatMap, type Seat } from '../../protocol/index.js';
import { expectAccessible, launchBrowser, shot, signIn, tomorrowsShows } from '../support/browser.js';
import { startHarness, TestClock, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
const sizes = { laptop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } } as const;
type Size = keyof typeof sizes;

beforeAll(async () => {
  const clock = Object.assign(new TestClock(), { now: () => Date.now() });
  h = await startHarness({ demoData: true, clock, config: { clientDir } });
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
const seatsOf = async (showId: string) => SeatMap.parse(await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json()).seats;

async function signedInPage(size: Size, lang = 'en'): Promise<Page> {
  const u = await h.register('best');
  const phone = size === 'phone';
  const context = await browser.newContext({ viewport: sizes[size], hasTouch: phone, isMobile: phone });
  await context.addInitScript((l) => localStorage.setItem('mm.locale', l), lang);
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return page;
}

async function openShow(page: Page, showId: string) {
  await page.goto(`${h.url}/shows/${showId}`);
  await page.waitForSelector('[role=gridcell]');
  await page.waitForSelector('[data-testid=best-available]');
}

const mine = (page: Page) => page.$$eval('[role=gridcell][data-state=mine]', (cells) => cells.map((c) => c.getAttribute('data-seat')!));
const countButton = (page: Page, n: number) => page.locator('[data-testid=seat-count] button').nth(n - 1);

/** Same row, columns one after another. */
function sideBySide(seats: Seat[], ids: string[]): boolean {
  const picked = ids.map((id) => seats.find((s) => s.id === id)!).sort((a, b) => a.col - b.col);
  return picked.every((s, i) => s.row === picked[0]!.row && s.col === picked[0]!.col + i);
}

describe('best available', () => {
  it('3 seats asked: Best available holds 3 side by side, says which, the count survives a reload, and a tap still changes a seat', async () => {
    const showId = await nextShow();
    const page = await signedInPage('laptop');
    await openShow(page, showId);
    await countButton(page, 3).click();
    expect(await countButton(page, 3).getAttribute('aria-pressed')).toBe('true');
    await page.click('[data-testid=best-available]');
    await expect.poll(() => mine(page), { timeout: 5000 }).toHaveLength(3);
    const chosen = await mine(page);
    expect(sideBySide(await seatsOf(showId), chosen)).toBe(true);
    const said = await page.textContent('[data-testid=best-result]');
    for (const id of chosen) expect(said).toContain(id);
    expect(await page.getAttribute('[data-testid=best-result]', 'aria-live')).toBe('polite');

    await page.reload();
    await page.waitForSelector('[data-testid=best-available]');
    expect(await countButton(page, 3).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => mine(page), { timeout: 5000 }).toHaveLength(3);
    await page.click(`[data-seat="${chosen[0]}"]`);
    await expect.poll(async () => (await mine(page)).sort(), { timeout: 5000 }).toEqual(chosen.slice(1).sort());
  });

  it('a seat type choice fades the other seats on the map and keeps Best available in that category', async () => {
    const showId = await nextShow();
    const seats = await seatsOf(showId);
    const page = await signedInPage('laptop');
    await openShow(page, showId);
    await page.selectOption('[data-testid=best-category]', 'premium');
    // The same choice highlights the map: other seats are drawn faded (SeatGrid's `highlight`).
    const classic = seats.find((s) => s.category !== 'premium')!.id;
    const premium = seats.find((s) => s.category === 'premium')!.id;
    await expect.poll(() => page.getAttribute(`[data-seat="${classic}"]`, 'class')).toMatch(/\bfd\b/);
    expect(await page.getAttribute(`[data-seat="${premium}"]`, 'class')).not.toMatch(/\bfd\b/);
    await countButton(page, 2).click();
    await page.click('[data-testid=best-available]');
    await expect.poll(() => mine(page), { timeout: 5000 }).toHaveLength(2);
    for (const id of await mine(page)) expect(seats.find((s) => s.id === id)!.category).toBe('premium');
  });

  it.each(['laptop', 'phone'] as const)('a manual pick that leaves a single empty seat is warned about, and "Fix it" moves it so none is left (%s)', async (size) => {
    const showId = await nextShow();
    const seats = await seatsOf(showId);
    // The second seat of the first row: the first is left alone against the wall.
    const firstRow = seats.filter((s) => s.row === seats[0]!.row).sort((a, b) => a.col - b.col);
    const [wallSeat, pick] = [firstRow[0]!, firstRow[1]!];
    const page = await signedInPage(size);
    await openShow(page, showId);
    if (size === 'phone') await page.tap(`[data-seat="${pick.id}"]`);
    else await page.click(`[data-seat="${pick.id}"]`);
    await page.waitForSelector('[data-testid=strand-warning]', { timeout: 5000 });
    expect(await page.textContent('[data-testid=strand-warning]')).toContain(wallSeat.id);
    expect(await page.getAttribute('[data-testid=strand-warning]', 'role')).toBe('status');
    await page.screenshot({ path: shot(`best-available-strand-${size}`) });
    await expectAccessible(page, `strand warning (${size})`);

    await page.click('[data-testid=strand-fix]');
    await page.waitForSelector('[data-testid=strand-warning]', { state: 'detached', timeout: 5000 });
    await expect.poll(() => mine(page), { timeout: 5000 }).toHaveLength(1);
    const [moved] = await mine(page);
    expect(moved).not.toBe(pick.id);
    await expect.poll(() => page.textContent('[data-testid=strand-fixed]')).toContain(moved!);
    const after = await seatsOf(showId);
    expect(after.find((s) => s.id === pick.id)!.status).toBe('free');
    expect(after.find((s) => s.id === moved)!.status).toBe('held');
  });

  describe.each(['en', 'hi', 'te'] as const)('in %s', (lang) => {
    it.each(['laptop', 'phone'] as const)('the count, the choices and Best available are usable and axe clean (%s)', async (size) => {
      const showId = await nextShow();
      const page = await signedInPage(size, lang);
      await openShow(page, showId);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await countButton(page, 2).click();
      await page.click('[data-testid=best-available]');
      await expect.poll(() => mine(page), { timeout: 5000 }).toHaveLength(2);
      await page.waitForSelector('[data-testid=best-result]:not(:empty)');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: shot(`best-available-${lang}-${size}`) });
      await expectAccessible(page, `best available (${lang}, ${size})`);
      // No sideways scrolling on the phone: the panel fits 360 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    });
  });
});
