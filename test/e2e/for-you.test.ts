/**
 * The home page's "For you" row in Chromium on a 360×740 phone: shown to a signed-in user with
 * bookings (a co-booked movie first, "Because you watched RRR"), poster and reason per item, a
 * labelled list that scrolls sideways inside itself (the page does not), no serious axe finding;
 * absent when signed out. Screenshots: test/artifacts/en-phone-for-you.png (and -scrolled).
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ShowSummary } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
let fan: { email: string; password: string };

/** One confirmed booking of one seat, over the socket as the app books. */
async function book(token: string, show: ShowSummary, seat: string, key: string) {
  const s = await h.connect(token);
  expect(await ack<Ack>(s, 'seat:hold', { showId: show.id, seatIds: [seat] })).toMatchObject({ ok: true });
  expect(await ack<Ack>(s, 'booking:confirm', { showId: show.id, idempotencyKey: key })).toMatchObject({ ok: true });
  s.disconnect();
}

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  const tomorrow = addDays(localDate(h.clock.now(), 'Asia/Kolkata'), 1);
  const { shows } = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as { shows: ShowSummary[] };
  const showOf = (movieId: string) => shows.find((s) => s.movie.id === movieId)!;
  const [rrr, sita, pushpa] = [showOf('rrr'), showOf('sita-ramam'), showOf('pushpa-the-rise')];
  // Five people booked RRR and Sita Ramam; three Pushpa alone; the fan booked RRR.
  for (let i = 0; i < 5; i++) {
    const u = await h.register(`both${i}`);
    await book(u.token, rrr, `A${i + 1}`, `e2e-rrr-${i}`);
    await book(u.token, sita, `A${i + 1}`, `e2e-sita-${i}`);
  }
  for (let i = 0; i < 3; i++) await book((await h.register(`p${i}`)).token, pushpa, `A${i + 1}`, `e2e-pushpa-${i}`);
  const u = await h.register('fan');
  await book(u.token, rrr, 'B1', 'e2e-fan-booking');
  fan = u;
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  await context.addInitScript(() => {
    localStorage.setItem('mm.city', 'hyderabad');
    localStorage.setItem('mm.locale', 'en');
  });
  return context.newPage();
}

describe('"For you" on the home page, on a phone', () => {
  it('shows a signed-in user Sita Ramam first "Because you watched RRR", with posters, in a labelled list that scrolls sideways', async () => {
    const page = await phonePage();
    await signIn(page, h.url, fan.email, fan.password);
    await page.goto(h.url);
    const row = page.getByRole('region', { name: 'For you' });
    await row.waitFor({ timeout: 10_000 });
    const items = row.getByRole('listitem');
    await expect.poll(() => items.count()).toBeGreaterThan(3);
    expect(await items.first().getByRole('link').textContent()).toBe('Sita Ramam');
    expect(await items.first().textContent()).toContain('Because you watched RRR');
    expect(await row.getByRole('link', { name: 'RRR', exact: true }).count(), 'never a movie they booked').toBe(0);
    expect(await items.first().locator('img').getAttribute('src')).toMatch(/\/api\/movies\/sita-ramam\/poster\.svg/);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: shot('en-phone-for-you') });
    const list = row.getByRole('list');
    expect(await list.evaluate((el) => el.scrollWidth > el.clientWidth), 'the row scrolls sideways').toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page does not').toBe(true);
    await list.evaluate((el) => el.scrollBy({ left: el.clientWidth, behavior: 'instant' }));
    await page.screenshot({ path: shot('en-phone-for-you-scrolled') });
    await expectAccessible(page, 'home with For you (en, phone)');
    await page.context().close();
  });

  it('is not there signed out', async () => {
    const page = await phonePage();
    await page.goto(h.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('.cards').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('for-you').count()).toBe(0);
    await page.context().close();
  });
});
