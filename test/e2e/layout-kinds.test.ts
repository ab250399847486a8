/**
 * The staff layout editor in Chromium: a category's seat type is set to couple, an odd couple
 * block is refused on the page in words, wheelchair and companion seats are marked by clicking the
 * preview, the saved layout pairs the seats, and the seat guide on the show page explains the kind.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeatMap } from '../../protocol/index.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
let show: ShowFixture;

beforeAll(async () => {
  h = await startHarness({ config: { clientDir } });
  browser = await launchBrowser();
  // 6 rows of 8 in blocks of 4 and 4: rows A-C classic, D-F premium.
  show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 3600_000, rows: 6, perRow: 8 });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function staffPage(): Promise<Page> {
  const email = `kinds-${Math.random().toString(36).slice(2)}@test.example`;
  const r = await h.app.services.auth.register({ name: 'Ravi', email, password: 'correct horse battery' }, 'staff', ['test-theatre']);
  if (!r.ok) throw new Error('register failed');
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, h.url, email, 'correct horse battery');
  return page;
}

const problems = (page: Page) => page.$$eval('[data-testid=layout-problems] li', (xs) => xs.map((x) => x.textContent ?? ''));

describe('layout editor: seat kinds', () => {
  it('sets premium to couple, refuses an odd couple block in words, marks wheelchair + companion seats by clicking, and saves pairs', async () => {
    const page = await staffPage();
    await page.goto(`${h.url}/staff/manage`);
    await page.selectOption('section:has-text("Seat layout") select >> nth=0', show.show.screenId);
    await page.waitForSelector('.preview .seat');

    await page.selectOption('select[data-category=premium]', 'couple');
    await expect.poll(() => page.$$eval('.preview .seat.pair-left', (xs) => xs.length)).toBe(12); // 3 rows × 4 units
    // Row D's second block with 3 seats: couple seats cannot pair up.
    await page.fill('[aria-label="Row 4 blocks"]', '4,3');
    await expect.poll(() => problems(page)).toEqual(['Row D, block 2 has 3 couple seats. Couple seats come in pairs, so each block needs an even number.']);
    expect(await page.isDisabled('text=Save layout')).toBe(true);
    await page.fill('[aria-label="Row 4 blocks"]', '4,4');
    await expect.poll(() => problems(page)).toEqual([]);

    // B1 a wheelchair space; a companion two seats away is refused; beside it, accepted.
    await page.selectOption('[data-testid=mark-as]', 'accessible');
    await page.click('.preview [data-seat=B1]');
    await page.selectOption('[data-testid=mark-as]', 'companion');
    await page.click('.preview [data-seat=B3]');
    await expect.poll(() => problems(page)).toEqual(['Companion seat B3 must be right beside a wheelchair space, in the same block.']);
    await page.click('.preview [data-seat=B3]');
    await page.click('.preview [data-seat=B2]');
    await expect.poll(() => problems(page)).toEqual([]);
    expect(await page.inputValue('[data-testid=wheelchair-seats]')).toBe('A1,B1');
    expect(await page.inputValue('[data-testid=companion-seats]')).toBe('B2');
    await page.screenshot({ path: shot('layout-kinds-editor'), fullPage: true });
    await expectAccessible(page, 'layout editor with seat kinds');

    await page.click('text=Save layout');
    await page.waitForSelector('[data-testid=manage-message]:has-text("Layout saved")');
    const layout = (await h.app.stores.catalog.getScreen(show.show.screenId))!.layout;
    expect(layout.categories.find((c) => c.id === 'premium')!.kind).toBe('couple');
    expect(layout.categories.find((c) => c.id === 'classic')!.kind).toBe('standard');
    expect(layout).toMatchObject({ accessible: ['A1', 'B1'], companions: ['B2'] });
    const seats = new Map(SeatMap.parse(await (await fetch(`${h.url}/api/shows/${show.showId}/seats`)).json()).seats.map((s) => [s.id, s]));
    expect(seats.get('D1')!.pair).toBe('D2');
    expect(seats.get('F8')!.pair).toBe('F7');
    expect(seats.get('B2')!.companion).toBe(true);

    // The show's seat guide says what a couple seat is.
    await page.goto(`${h.url}/shows/${show.showId}`);
    await page.waitForSelector('[data-testid=legend-kinds] [data-kind=couple]');
    expect(await page.textContent('[data-testid=legend-kinds]')).toContain('two seats side by side, held and sold together');
    await page.locator('section.legend').screenshot({ path: shot('layout-kinds-legend') });
  });
});
