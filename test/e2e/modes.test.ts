/**
 * Accessibility modes and availability at a glance, in Chromium: high contrast and larger text
 * change the page and survive a reload, prefers-contrast: more turns high contrast on, axe-core
 * is clean in high contrast; showtimes say how full they are in words and change while the page
 * is open when someone else books; seat filters narrow the showtimes and live in the URL.
 * Screenshots: test/artifacts/modes-*.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

let h: Harness;
let browser: Browser;
/** Standard + premium seats with a wheelchair space (10 seats). */
let plain: ShowFixture;
/** Couple and VIP seats, no wheelchair space, on another screen an hour later. */
let fancy: string;

beforeAll(async () => {
  h = await startHarness({ config: { clientDir } });
  browser = await launchBrowser();
  const store = h.app.stores.catalog;
  plain = await createShow(store, { now: h.clock.now(), rows: 2, perRow: 5 });
  const screenId = `${plain.show.screenId}-vip`;
  await store.putScreens([
    {
      id: screenId,
      theatreId: plain.show.theatreId,
      name: 'Screen V',
      layout: {
        categories: [
          { id: 'couple', label: 'Love seats', kind: 'couple' },
          { id: 'vip', label: 'Lounge', kind: 'vip' },
        ],
        rows: [
          { label: 'A', category: 'couple', blocks: [4] },
          { label: 'B', category: 'vip', blocks: [4] },
        ],
        accessible: [],
        companions: [],
      },
    },
  ]);
  fancy = `${plain.showId}-vip`;
  await store.putShows([{ ...plain.show, id: fancy, screenId, startsAt: plain.show.startsAt + 3600_000, prices: { couple: 40_000, vip: 60_000 } }]);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(opts: { lang?: string; size?: keyof typeof sizes; context?: BrowserContextOptions } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[opts.size ?? 'laptop'], ...opts.context });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('mm.locale')) localStorage.setItem('mm.locale', l);
    localStorage.setItem('mm.city', 'testville');
  }, opts.lang ?? 'en');
  return context.newPage();
}
const moviePath = (query = '') => `/movies/test-movie?date=${plain.show.localDate}${query}`;
const rootState = (page: Page) =>
  page.evaluate(() => ({
    contrast: document.documentElement.dataset.contrast ?? null,
    text: document.documentElement.dataset.text ?? null,
    fontSize: getComputedStyle(document.documentElement).fontSize,
    fg: getComputedStyle(document.body).color,
  }));
const listedShows = (page: Page) => page.locator('a.time').evaluateAll((as) => as.map((a) => a.getAttribute('data-show')));

describe('accessibility modes', () => {
  it('high contrast and larger text change the page, are remembered across a reload, and axe is clean in high contrast', async () => {
    const page = await newPage();
    await page.goto(`${h.url}/`);
    const before = await rootState(page);
    expect(before).toMatchObject({ contrast: null, text: null, fontSize: '16px' });
    await page.getByTestId('display-settings').press('Enter');
    await page.getByTestId('high-contrast').check();
    await page.getByTestId('large-text').check();
    const after = await rootState(page);
    expect(after).toMatchObject({ contrast: 'high', text: 'large', fontSize: '20px', fg: 'rgb(0, 0, 0)' });
    expect(after.fg).not.toBe(before.fg);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('display-settings');
    await page.reload();
    expect(await rootState(page)).toMatchObject({ contrast: 'high', text: 'large', fontSize: '20px' });
    await page.screenshot({ path: shot('modes-en-laptop-home-high-contrast') });
    await expectAccessible(page, 'home (high contrast, large text)');
    await page.goto(`${h.url}${moviePath()}`);
    await page.getByTestId('availability').first().waitFor();
    await expectAccessible(page, 'movie (high contrast, large text)');
    await page.goto(`${h.url}/shows/${plain.showId}`);
    await page.locator('#seatmap').waitFor();
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: shot('modes-en-laptop-show-high-contrast') });
    await expectAccessible(page, 'show (high contrast, large text)');
    await page.context().close();
  });

  it('prefers-contrast: more turns high contrast on until the user turns it off', async () => {
    const page = await newPage({ context: { contrast: 'more' } });
    await page.goto(`${h.url}/`);
    expect((await rootState(page)).contrast).toBe('high');
    await page.getByTestId('display-settings').click();
    expect(await page.getByTestId('high-contrast').isChecked()).toBe(true);
    await page.getByTestId('high-contrast').uncheck();
    await page.reload();
    expect((await rootState(page)).contrast).toBe(null);
    await page.context().close();
  });
});

describe('availability and filters on the showtimes', () => {
  it('shows availability in words and changes it without a reload after another client books', async () => {
    const page = await newPage();
    await page.goto(`${h.url}${moviePath()}`);
    const word = page.locator(`a[data-show="${plain.showId}"] [data-testid="availability"]`);
    await word.waitFor();
    expect(await word.textContent()).toContain('Plenty of seats');
    const other = await h.register('rival');
    const s = await h.connect(other.token);
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: plain.showId, seatIds: ['A1', 'A2', 'A3', 'A4', 'A5', 'B1', 'B2', 'B3', 'B4'] })).toMatchObject({ ok: true });
    expect(await ack<Ack<object>>(s, 'booking:confirm', { showId: plain.showId, idempotencyKey: 'modes-e2e-booking' })).toMatchObject({ ok: true });
    const started = Date.now();
    await page.waitForFunction((id) => document.querySelector(`a[data-show="${id}"] [data-testid="availability"]`)?.getAttribute('data-level') === 'almost_full', plain.showId, { timeout: 30_000 });
    console.log(`[modes] the movie page showed "almost full" ${Date.now() - started} ms after the booking (refresh every 15 s)`);
    expect(await word.textContent()).toMatch(/Almost full · 1 seat left/);
    await page.context().close();
  });

  it('filters narrow the showtimes by seat type and wheelchair spaces, kept in the URL across a reload', async () => {
    const page = await newPage();
    await page.goto(`${h.url}${moviePath()}`);
    await page.getByTestId('availability').first().waitFor();
    expect((await listedShows(page)).sort()).toEqual([plain.showId, fancy].sort());
    await page.locator('[data-kind="vip"]').press('Enter');
    expect(await listedShows(page)).toEqual([fancy]);
    expect(await page.locator('[data-kind="vip"]').getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).searchParams.get('seats')).toBe('vip');
    await page.locator('[data-kind="premium"]').click();
    expect((await listedShows(page)).sort()).toEqual([plain.showId, fancy].sort());
    await page.locator('[data-kind="wheelchair"]').click();
    expect(await listedShows(page)).toEqual([plain.showId]);
    await page.reload();
    await page.getByTestId('availability').first().waitFor();
    expect(await listedShows(page)).toEqual([plain.showId]);
    expect(await page.locator('[data-kind="wheelchair"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-kind="premium"]').click();
    await page.locator('[data-kind="wheelchair"]').click();
    await page.locator('[data-kind="vip"]').click();
    await page.locator('[data-kind="standard"]').click();
    await page.locator('[data-kind="wheelchair"]').click();
    expect(await listedShows(page)).toEqual([plain.showId]);
    await page.locator('[data-kind="standard"]').click();
    await page.locator('[data-kind="couple"]').click();
    expect(await listedShows(page)).toEqual([]);
    // The header's search box has a status region of its own: this is the showtimes' one.
    expect(await page.getByRole('status').filter({ hasText: 'No showtimes with these seats' }).count()).toBe(1);
    await page.context().close();
  });

  it('screenshots of the movie page with availability, normal and high contrast, laptop and phone, en/hi/te', async () => {
    for (const lang of ['en', 'hi', 'te'])
      for (const size of ['laptop', 'phone'] as const)
        for (const contrast of ['normal', 'high']) {
          const page = await newPage({ lang, size });
          await page.addInitScript((c) => localStorage.setItem('mm.contrast', c), contrast);
          await page.goto(`${h.url}${moviePath()}`);
          await page.getByTestId('availability').first().waitFor();
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${lang} ${size}: no horizontal scroll`).toBe(true);
          await page.screenshot({ path: shot(`modes-${lang}-${size}-movie-${contrast}`), fullPage: true });
          if (size === 'phone' && contrast === 'high') {
            await page.getByTestId('display-settings').click();
            await page.screenshot({ path: shot(`modes-${lang}-phone-settings-open`) });
          }
          await expectAccessible(page, `movie (${lang}, ${size}, ${contrast})`);
          await page.context().close();
        }
  });
});
