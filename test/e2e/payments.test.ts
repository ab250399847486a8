/**
 * Paying in Debian's Chromium: the built client against the real server, DynamoDB Local and
 * the REAL built-in test gateway (its hosted page on this server). In English, Hindi and
 * Telugu, on a laptop (1280) and a 360 px phone: checkout shows the amount, Pay and the time
 * left; a declined card comes back to our return page with "Pay again"; the success card
 * comes back paid and booked; My bookings shows it paid. And time running out (the server's
 * clock moved past the deadline, the sweeper run) turns the waiting return page into "time
 * ran out". Every page passes axe; screenshots go to test/artifacts/pay-<lang>-<size>-*.png.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const WINDOW_S = 600;
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
type Size = keyof typeof sizes;
const langs = ['en', 'hi', 'te'] as const;
type Lang = (typeof langs)[number];
const combos = langs.flatMap((lang) => (Object.keys(sizes) as Size[]).map((size) => [lang, size] as const));

/** The client's own words, to find on the page in each language. */
const words = Object.fromEntries(langs.map((l) => [l, JSON.parse(readFileSync(new URL(`../../client/src/locales/${l}.json`, import.meta.url), 'utf8')) as Record<string, string>])) as Record<Lang, Record<string, string>>;
const CARD = { success: '4111 1111 1111 1111', decline: '4000 0000 0000 0002' };

let h: Harness;
let browser: Browser;
let showId: string;
/** Words that are data, not UI (movie title, theatre, seat categories), left out of the "English left" check. */
let dataWords: string[] = [];

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir }, payments: { gateway: 'test', windowSeconds: WINDOW_S } });
  browser = await launchBrowser();
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as {
    shows: { id: string; capacity: number; movie: { title: string }; theatre: { name: string; address: string } }[];
  };
  const show = shows.find((s) => s.capacity < 1000)!;
  showId = show.id;
  dataWords = [show.movie.title, show.theatre.name, show.theatre.address, 'Classic', 'Premium', 'Recliner', 'Screen', 'Movie Magic'];
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(lang: Lang, size: Size): Promise<{ page: Page; email: string; password: string }> {
  const u = await h.register('pay');
  // Accept-Language picks the gateway page's language as a browser set to it would.
  const context = await browser.newContext({ viewport: sizes[size], locale: { en: 'en-IN', hi: 'hi-IN', te: 'te-IN' }[lang] });
  await context.addInitScript((l) => localStorage.setItem('mm.locale', l), lang);
  const page = await context.newPage();
  await signIn(page, h.url, u.email, u.password);
  return { page, email: u.email, password: u.password };
}

/** English words left on a Hindi or Telugu page (text marked with another lang="" aside), once data, ids and amounts are taken out. */
const englishLeft = (page: Page) =>
  page.evaluate((data) => {
    const own = document.documentElement.lang;
    const parts: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (el && !el.closest('script, style') && !el.closest(`[lang]:not([lang="${own}"])`) && el.checkVisibility()) parts.push(n.textContent ?? '');
    }
    let text = parts.join('\n');
    for (const d of data) text = text.split(d).join(' ');
    text = text.replace(/\b(?:bk|show)[_-][A-Za-z0-9_.-]+/g, ' ').replace(/\b(?:UPI|CVV|MM|YY|PVR)\b/g, ' ');
    return [...new Set(text.match(/[A-Za-z]{3,}/g) ?? [])];
  }, dataWords);

/** Looks at the page as a moviegoer would: the picture saved, no sideways scroll, its words translated, axe clean. */
async function look(page: Page, lang: Lang, size: Size, name: string) {
  const where = `${name} (${lang}, ${size})`;
  await page.screenshot({ path: shot(`pay-${lang}-${size}-${name}`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${where}: no horizontal scroll`).toBe(true);
  if (lang !== 'en') expect(await englishLeft(page), `${where}: English left`).toEqual([]);
  await expectAccessible(page, where);
}

/** Holds two free seats on the show's map and confirms at checkout: the page then shows the pay panel. */
async function toPayPanel(page: Page): Promise<string[]> {
  await page.goto(`${h.url}/shows/${showId}`);
  await page.waitForSelector('[role=gridcell]');
  const seats = await page.$$eval('[role=gridcell][data-state=free]', (c) => c.slice(0, 2).map((e) => e.getAttribute('data-seat')!));
  for (const s of seats) await page.click(`[data-seat="${s}"]`);
  for (const s of seats) await page.waitForSelector(`[data-seat="${s}"][data-state=mine]`);
  await page.click(`a[href="/shows/${showId}/checkout"]`);
  await page.waitForSelector('[data-testid=total]');
  await page.click('button.confirm');
  await page.waitForSelector('[data-testid=paybox]');
  return seats;
}

/** On the test gateway's hosted page: the card form, as a customer fills it. */
async function payByCard(page: Page, number: string) {
  await page.waitForURL(/\/test-gateway\/pay\//);
  await page.fill('#number', number);
  await page.fill('#expiry', '12/39');
  await page.fill('#cvv', '123');
  await page.click('form button[type=submit]');
  await page.waitForURL(/\/bookings\/[^/]+\/paid/);
}

describe('paying in the browser through the test gateway', () => {
  it.each(combos)('in %s on a %s: checkout shows amount, Pay and time left; a declined card comes back with "Pay again"; the success card comes back paid and booked; My bookings shows it paid', async (lang, size) => {
    const w = words[lang];
    const { page } = await newPage(lang, size);
    const seats = await toPayPanel(page);
    const amount = (await page.textContent('[data-testid=pay-amount]'))!.trim();
    expect(amount).toMatch(/^₹[\d,]+\.\d\d$/);
    expect((await page.textContent('[data-testid=pay]'))!.trim()).toBe(w.payButton!.replace('{amount}', amount));
    expect(await page.isVisible('[data-testid=paybox] [role=timer]')).toBe(true);
    expect(await page.textContent('[data-testid=paybox] [role=timer]')).toMatch(/\d/);
    await look(page, lang, size, 'checkout');

    // A declined card: back on our return page, told so, with the seats still reserved and Pay again.
    await page.click('[data-testid=pay]');
    await page.waitForURL(/\/test-gateway\/pay\//);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await look(page, lang, size, 'gateway');
    await payByCard(page, CARD.decline);
    const bookingId = new URL(page.url()).pathname.split('/')[2]!;
    await page.waitForSelector('[data-testid=pay-declined]', { timeout: 5000 });
    expect(await page.textContent('[data-testid=pay-declined] strong')).toBe(w.payDeclined);
    expect((await page.textContent('[data-testid=pay]'))!.trim()).toBe(w.payAgain);
    await look(page, lang, size, 'declined');

    // Pay again: the gateway's page once more, the success card, and the return page says paid and booked.
    await page.click('[data-testid=pay]');
    await payByCard(page, CARD.success);
    expect(new URL(page.url()).pathname).toBe(`/bookings/${bookingId}/paid`);
    await page.waitForSelector('[data-testid=outcome-paid]', { timeout: 5000 });
    expect((await page.textContent('[data-testid=outcome-paid] h2'))!.trim()).toBe(`✓ ${w.paidTitle}`);
    expect(await page.textContent('[data-testid=outcome-paid] p')).toContain(amount);
    await look(page, lang, size, 'paid');

    await page.goto(`${h.url}/bookings`);
    await page.waitForSelector(`[data-booking="${bookingId}"]`);
    const card = `[data-booking="${bookingId}"]`;
    expect(await page.textContent(`${card} [data-testid=booking-status]`)).toBe(w.confirmed);
    expect(await page.textContent(`${card} [data-testid=booking-seats]`)).toBe(seats.join(', '));
    expect(await page.textContent(`${card} [data-testid=payment-status]`)).toContain(amount);
    await look(page, lang, size, 'my-bookings');
    await page.context().close();
  });

  it('the approve-later card (4000 0000 0000 3220): the return page waits, live, and says paid and booked when the bank approves (its webhook), without a reload', async () => {
    const { page } = await newPage('en', 'laptop');
    await toPayPanel(page);
    await page.click('[data-testid=pay]');
    const orderRef = new URL(page.url()).pathname.split('/').pop()!;
    await payByCard(page, '4000 0000 0000 3220');
    await page.waitForSelector('[data-testid=pay-waiting]');
    expect(await page.textContent('[data-testid=pay-waiting]')).toContain(words.en.payWaiting);
    // The status region around the waiting line (the header's search box has one of its own).
    expect(await page.getAttribute('[role=status]:has([data-testid=pay-waiting])', 'aria-live')).toBe('polite');
    await look(page, 'en', 'laptop', 'waiting');
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    // The bank approves half a second from now (the drive route; on its own it takes 20 s).
    const started = Date.now();
    const r = await fetch(`${h.url}/api/test-gateway/payments/${orderRef}/approve-later`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 500 }) });
    expect(r.status).toBe(200);
    await page.waitForSelector('[data-testid=outcome-paid]', { timeout: 10_000 });
    console.log(`[payments] approval to "Paid and booked!" on screen: ${Date.now() - started} ms (500 ms of it the bank's delay)`);
    expect(loads).toEqual([]);
    await page.context().close();
  });

  it('time runs out: each waiting return page (en, hi, te; laptop and phone) says so once the deadline passes and the sweeper runs, and My bookings shows it expired', async () => {
    const waiting: { page: Page; lang: Lang; size: Size; booking: Booking }[] = [];
    for (const [lang, size] of combos) {
      const { page, email, password } = await newPage(lang, size);
      // The booking is made over the socket as the same user, to save the map's clicks.
      const login = (await (await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as { token: string };
      const socket = await h.connect(login.token);
      const { seats } = (await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json()) as { seats: { id: string; status: string }[] };
      const seatIds = seats.filter((s) => s.status === 'free').slice(-2).map((s) => s.id);
      expect(await ack<Ack>(socket, 'seat:hold', { showId, seatIds })).toMatchObject({ ok: true });
      const r = await ack<Ack<{ booking: Booking }>>(socket, 'booking:confirm', { showId, idempotencyKey: `pay-expire-${lang}-${size}-${Date.now()}` });
      if (!r.ok) throw new Error(JSON.stringify(r));
      await page.goto(`${h.url}/bookings/${r.booking.id}/paid`);
      await page.waitForSelector('[data-testid=pay-waiting]');
      waiting.push({ page, lang, size, booking: r.booking });
    }
    h.clock.advance(WINDOW_S * 1000 + 1000);
    await h.app.services.sweeper.sweep();
    for (const { page, lang, size, booking } of waiting) {
      await page.waitForSelector('[data-testid=outcome-expired]', { timeout: 5000 });
      expect((await page.textContent('[data-testid=outcome-expired] h2'))!.trim()).toBe(words[lang].expiredTitle);
      await look(page, lang, size, 'expired');
      await page.goto(`${h.url}/bookings`);
      await page.waitForSelector(`[data-booking="${booking.id}"]`);
      expect(await page.textContent(`[data-booking="${booking.id}"] [data-testid=booking-status]`)).toBe(words[lang].bookingExpired);
      await page.context().close();
    }
  });
});
