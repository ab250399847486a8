/**
 * The built client in Debian's headless Chromium against the real server and store:
 * the whole booking flow, live updates between two browsers, phone layout, keyboard.
 * Screenshots go to test/artifacts/ (not committed).
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
let tomorrow: string;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** A show tomorrow in Hyderabad on a normal screen (not the 2,200-seat hall). */
async function pickShowId(filter: (capacity: number) => boolean = (c) => c < 1000): Promise<string> {
  const r = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as {
    shows: { id: string; capacity: number }[];
  };
  return r.shows.find((s) => filter(s.capacity))!.id;
}

async function loggedInPage(opts: { width?: number; height?: number } = {}): Promise<{ page: Page; email: string }> {
  const u = await h.register('browser');
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return { page, email: u.email };
}

const freeSeats = (page: Page, n: number) =>
  page.$$eval('[role=gridcell][data-state=free]', (cells, n) => cells.slice(0, n).map((c) => c.getAttribute('data-seat')!), n);

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('moviegoer web app', () => {
  it('sign up, pick a city and a show, hold 2 seats, confirm, see it in My bookings', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(h.url);
    await page.selectOption('[data-testid=city]', 'hyderabad');
    await page.click(`[data-date="${tomorrow}"]`);
    await page.waitForSelector('.cards a');
    await page.screenshot({ path: shot('home-desktop') });
    await expectAccessible(page, 'home');

    // Sign up first (from the header), then browse on.
    await page.click('text=Sign up');
    await page.fill('#name', 'Meera');
    await page.fill('#email', `meera-${Date.now()}@test.example`);
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.field-error')).toContain('at least 8');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('password'); // focus on the field to fix
    await expectAccessible(page, 'sign-up with a field error');
    await page.fill('#password', 'a-long-enough-password');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Log out');

    await page.click(`[data-date="${tomorrow}"]`);
    await page.click('.cards li:first-child a');
    await page.waitForSelector('a.time');
    await expectAccessible(page, 'movie page');
    await page.click('a.time >> nth=0');
    await page.waitForSelector('[role=gridcell]');
    const seats = await freeSeats(page, 2);
    for (const id of seats) await page.click(`[data-seat="${id}"]`);
    for (const id of seats) await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`);
    await expect.poll(() => page.textContent('[data-testid=my-seats]')).toBe(seats.join(', '));
    await page.waitForSelector('[role=timer]');
    await page.screenshot({ path: shot('seat-grid-desktop'), fullPage: true });
    await expectAccessible(page, 'seat map with a cart');

    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    await page.screenshot({ path: shot('checkout-desktop'), fullPage: true });
    await expectAccessible(page, 'checkout');
    // A double click books once (the button also disables itself).
    await page.dblclick('button.confirm');
    await page.waitForSelector('text=You are booked!');
    await page.screenshot({ path: shot('booked-desktop') });
    await expectAccessible(page, 'booking confirmed');

    await page.click('text=See my bookings');
    await page.waitForSelector('[data-booking]');
    const cards = await page.$$('[data-booking]');
    expect(cards).toHaveLength(1);
    expect(await page.textContent('[data-testid=booking-seats]')).toBe(seats.join(', '));
    await page.screenshot({ path: shot('my-bookings-desktop') });
    await expectAccessible(page, 'my bookings');

    // The ticket downloads as a PDF; cancelling asks first, then shows the refund.
    await page.click('[data-booking] h2 a');
    await page.waitForSelector('[data-testid=download-ticket]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-ticket]')]);
    expect(download.suggestedFilename()).toMatch(/^movie-magic-bk_.*\.pdf$/);
    await page.click('[data-testid=cancel-booking]');
    await page.waitForSelector('dialog[open]');
    await page.screenshot({ path: shot('cancel-dialog') });
    await expectAccessible(page, 'cancel dialog');
    await page.click('[data-testid=cancel-yes]');
    await page.waitForSelector('[data-testid=refund]');
    expect(await page.textContent('[data-testid=refund]')).toMatch(/Refund: .+ \(\d+%\)/);
    await page.screenshot({ path: shot('cancelled-booking') });
    await expectAccessible(page, 'cancelled booking');
  });

  it('seats held in one browser turn "held" in another, and free after release (the delay is printed)', async () => {
    const showId = await pickShowId();
    const a = await loggedInPage();
    const b = await (await browser.newContext()).newPage();
    await Promise.all([a.page.goto(`${h.url}/shows/${showId}`), b.goto(`${h.url}/shows/${showId}`)]);
    await Promise.all([a.page.waitForSelector('[role=gridcell]'), b.waitForSelector('[role=gridcell]')]);
    const [s1, s2] = await freeSeats(a.page, 2);
    const started = Date.now();
    await a.page.click(`[data-seat="${s1}"]`);
    await a.page.click(`[data-seat="${s2}"]`);
    await b.waitForSelector(`[data-seat="${s2}"][data-state=held]`, { timeout: 5000 });
    const heldAfter = Date.now() - started;
    console.log(`[two browsers] held seen in the other browser after ${heldAfter} ms (two clicks included)`);
    expect(await b.getAttribute(`[data-seat="${s1}"]`, 'data-state')).toBe('held');
    expect(await b.getAttribute(`[data-seat="${s1}"]`, 'aria-label')).toContain('Held by someone');

    const releasedAt = Date.now();
    await a.page.click('text=Release all');
    await b.waitForSelector(`[data-seat="${s1}"][data-state=free]`, { timeout: 5000 });
    await b.waitForSelector(`[data-seat="${s2}"][data-state=free]`, { timeout: 5000 });
    console.log(`[two browsers] release seen in the other browser after ${Date.now() - releasedAt} ms`);
  });

  it('works on a 360×740 phone without horizontal page scroll; the grid is usable', async () => {
    const { page } = await loggedInPage({ width: 360, height: 740 });
    await page.goto(h.url);
    await page.waitForSelector('.cards a');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: shot('home-phone'), fullPage: false });
    await expectAccessible(page, 'home on a phone');

    const showId = await pickShowId();
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    expect(await noHorizontalScroll(page)).toBe(true);
    const [seat] = await freeSeats(page, 1);
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`);
    await page.screenshot({ path: shot('seat-grid-phone'), fullPage: true });
    await expectAccessible(page, 'seat map on a phone');
    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: shot('checkout-phone'), fullPage: true });
    await expectAccessible(page, 'checkout on a phone');

    // The 2,200-seat hall is painted on a canvas, fits the phone's width, zooms, and takes taps.
    const hallId = await pickShowId((c) => c >= 2000);
    await page.goto(`${h.url}/shows/${hallId}`);
    await page.waitForSelector('[data-renderer=canvas] canvas');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: shot('grand-hall-phone') });
    await expectAccessible(page, 'painted hall on a phone');
    await page.click('button[aria-label="Zoom in"]');
    await page.click('button[aria-label="Zoom in"]');
    expect(await noHorizontalScroll(page)).toBe(true);
    // The buttons zoom about the middle of the view: drag the hall to its front-left corner first.
    await page.locator('.viewport').scrollIntoViewIfNeeded();
    const vp = (await page.locator('.viewport').boundingBox())!;
    await page.mouse.move(vp.x + vp.width / 2, vp.y + vp.height / 2);
    await page.mouse.down();
    await page.mouse.move(vp.x + vp.width / 2 + 1500, vp.y + vp.height / 2 + 1500, { steps: 5 });
    await page.mouse.up();
    const box = (await page.locator('[data-renderer=canvas]').boundingBox())!;
    const seatSize = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-renderer]')!).getPropertyValue('--pitch')));
    // Row A, seat 1 sits 1.3 pitches from the left edge.
    await page.mouse.click(box.x + seatSize * 1.3 + 2, box.y + 2);
    await expect.poll(() => page.textContent('[data-testid=my-seats]')).toBe('A1');
    await page.screenshot({ path: shot('grand-hall-phone-zoomed') });
  });

  it('a seat can be chosen and held with the keyboard alone', async () => {
    const showId = await pickShowId();
    const { page } = await loggedInPage();
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    let onSeat = false;
    for (let i = 0; i < 40 && !onSeat; i++) {
      await page.keyboard.press('Tab');
      onSeat = await page.evaluate(() => document.activeElement?.getAttribute('role') === 'gridcell');
    }
    expect(onSeat).toBe(true);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement!.getAttribute('data-seat'));
    expect(focused).toBe('B3');
    const label = await page.evaluate(() => document.activeElement!.getAttribute('aria-label'));
    expect(label).toMatch(/^Row B seat 3, \w+ ₹[\d,]+, Available/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-seat="B3"][data-state=mine]');
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-seat="B3"][data-state=free]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-seat="B3"][data-state=mine]');
    await page.screenshot({ path: shot('keyboard-focus') });
    await expectAccessible(page, 'seat map, keyboard');
  });

  it('the skip link takes the keyboard straight to a seat of the map', async () => {
    const showId = await pickShowId();
    const { page } = await loggedInPage();
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    let onSkip = false;
    for (let i = 0; i < 3 && !onSkip; i++) {
      await page.keyboard.press('Tab');
      onSkip = (await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to the seat map';
    }
    expect(onSkip).toBe(true);
    await page.screenshot({ path: shot('skip-to-seat-map') });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('gridcell');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-seat'))).toBe('A2');
  });

  it('switches the UI to Hindi and Telugu and remembers the choice', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(h.url);
    await page.waitForSelector('.cards a');
    await page.selectOption('[data-testid=ui-language]', 'te');
    await expect.poll(() => page.textContent('h1')).toContain('ఇప్పుడు ఆడుతున్న సినిమాలు');
    expect(await page.getAttribute('html', 'lang')).toBe('te');
    await page.reload();
    await expect.poll(() => page.textContent('h1')).toContain('ఇప్పుడు ఆడుతున్న సినిమాలు');
    await page.selectOption('[data-testid=ui-language]', 'hi');
    await expect.poll(() => page.textContent('h1')).toContain('में अभी चल रही फ़िल्में');
    await page.selectOption('[data-testid=ui-language]', 'en');
    await expect.poll(() => page.textContent('h1')).toContain('Now showing in');
  });
});
