/**
 * Favourites, Book again and preferences in Debian's Chromium (issue 17), on the demo data:
 * a theatre favourited with its heart moves to the top of the movie page's showtimes (and stays
 * there after a reload); Book again from My bookings opens another show of the same theatre
 * with the same seats held, or the nearest like them when one is taken; the language saved in
 * preferences turns the UI into it at once and again at the next log-in, with the home city.
 * Screenshots on a 360 px phone and a laptop: test/artifacts/favourites-*.png; axe on each page.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Seat, ShowSummary } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
let h: Harness;
let browser: Browser;
let tomorrow: string;
/** The movie playing at the most Hyderabad theatres tomorrow. */
let movieId: string;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = await get<{ shows: ShowSummary[] }>(`/api/shows?city=hyderabad&date=${tomorrow}`);
  const theatres = new Map<string, Set<string>>();
  for (const s of shows) theatres.set(s.movie.id, (theatres.get(s.movie.id) ?? new Set()).add(s.theatre.id));
  movieId = [...theatres].sort((a, b) => b[1].size - a[1].size)[0]![0];
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(size: keyof typeof sizes): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript(() => {
    if (!localStorage.getItem('mm.city')) localStorage.setItem('mm.city', 'hyderabad');
  });
  return context.newPage();
}
const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const theatreOrder = (page: Page) => page.$$eval('ul.theatres > li', (lis) => lis.map((li) => li.getAttribute('data-theatre')!));
const get = async <T>(path: string, token?: string) => (await (await fetch(`${h.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).json()) as T;

describe('favourite theatres', () => {
  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: the heart of the last theatre is a pressed toggle once tapped, that theatre moves to the top of the showtimes, and it stays there after a reload', async (size) => {
    const u = await h.register(`fav-${size}`);
    const page = await newPage(size);
    await signIn(page, h.url, u.email, u.password);
    await page.goto(`${h.url}/movies/${movieId}?date=${tomorrow}`);
    await page.waitForSelector('ul.theatres > li [data-favourite=theatres]');
    const before = await theatreOrder(page);
    expect(before.length, `${movieId} plays at several theatres`).toBeGreaterThan(1);
    const last = before[before.length - 1]!;
    const heart = `li[data-theatre="${last}"] [data-favourite=theatres]`;
    expect(await page.getAttribute(heart, 'aria-pressed')).toBe('false');
    expect(await page.getAttribute(heart, 'aria-label')).toMatch(/^Favourite: /);
    await page.focus(heart);
    await page.keyboard.press('Enter'); // a keyboard works it as well as a finger
    await expect.poll(() => theatreOrder(page)).toEqual([last, ...before.slice(0, -1)]);
    expect(await page.getAttribute(heart, 'aria-pressed')).toBe('true');
    expect(await get<{ favourites: { theatres: string[] } }>('/api/me/favourites', u.token)).toEqual({ favourites: { movies: [], theatres: [last] } });
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: shot(`favourites-${size}-movie`) });
    await expectAccessible(page, `movie page with a favourite theatre (${size})`);

    await page.reload();
    await page.waitForSelector(`li[data-theatre="${last}"] [data-favourite=theatres][aria-pressed=true]`);
    expect((await theatreOrder(page))[0]).toBe(last);
    // And the movie's own heart.
    await page.click('.title-row [data-favourite=movies]');
    await page.waitForSelector('.title-row [data-favourite=movies][aria-pressed=true]');
    await page.context().close();
  });
});

/** Two free seats side by side in the middle of a show's plain seats (no wheelchair, companion or couple seats). */
async function twoTogether(showId: string): Promise<string[]> {
  const { seats } = await get<{ seats: Seat[] }>(`/api/shows/${showId}/seats`);
  const plain = seats.filter((s) => s.status === 'free' && !s.accessible && !s.companion && !s.pair);
  const mid = Math.floor(plain.length / 2);
  for (let i = mid; i + 1 < plain.length; i++) {
    const [a, b] = [plain[i]!, plain[i + 1]!];
    if (a.row === b.row && b.col === a.col + 1 && a.category === b.category) return [a.id, b.id];
  }
  throw new Error('no two seats together');
}

/** A confirmed booking of two seats on one of tomorrow's Hyderabad shows, and another show of the same screen that Book again offers. */
async function bookedWithAnother(name: string) {
  const u = await h.register(name);
  const { shows } = await get<{ shows: ShowSummary[] }>(`/api/shows?city=hyderabad&date=${tomorrow}`);
  const first = shows.find((s) => s.capacity < 1000 && shows.some((o) => o.id !== s.id && o.screen.id === s.screen.id))!;
  const seats = await twoTogether(first.id);
  const socket = await h.connect(u.token);
  expect(await ack<Ack<object>>(socket, 'seat:hold', { showId: first.id, seatIds: seats })).toMatchObject({ ok: true });
  const r = await ack<Ack<{ booking: { id: string } }>>(socket, 'booking:confirm', { showId: first.id, idempotencyKey: `again-${name}-1` });
  if (!r.ok) throw new Error(r.error.message);
  socket.disconnect();
  const again = await get<{ shows: ShowSummary[] }>(`/api/bookings/${r.booking.id}/again`, u.token);
  const next = again.shows.find((s) => s.screen.id === first.screen.id)!;
  expect(next, 'Book again offers another show on the same screen').toBeTruthy();
  return { u, bookingId: r.booking.id, seats, next };
}

async function bookAgain(page: Page, bookingId: string, showId: string) {
  await page.goto(`${h.url}/bookings`);
  const card = `[data-booking="${bookingId}"]`;
  await page.click(`${card} [data-testid=book-again]`);
  await page.waitForSelector(`${card} [data-again-show="${showId}"]`);
  expect(await page.getAttribute(`${card} [data-testid=book-again]`, 'aria-expanded')).toBe('true');
}

describe('book again', () => {
  it('on a phone: from My bookings to another show of the same theatre, with the same two seats held there', async () => {
    const { u, bookingId, seats, next } = await bookedWithAnother('again-same');
    const page = await newPage('phone');
    await signIn(page, h.url, u.email, u.password);
    await bookAgain(page, bookingId, next.id);
    await page.screenshot({ path: shot('favourites-phone-book-again') });
    await expectAccessible(page, 'my bookings with Book again open (phone)');
    await page.click(`[data-again-show="${next.id}"]`);
    await page.waitForURL(`${h.url}/shows/${next.id}`);
    for (const id of seats) await page.waitForSelector(`[data-seat="${id}"][data-state=mine]`, { timeout: 10_000 });
    await expect.poll(() => page.textContent('[data-testid=again-result]')).toContain(`from last time: ${seats.join(', ')}`);
    const mine = await get<{ seats: Seat[] }>(`/api/shows/${next.id}/seats`);
    expect(mine.seats.filter((s) => s.status === 'held').map((s) => s.id)).toEqual(seats);
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: shot('favourites-phone-again-held') });
    await expectAccessible(page, 'seat page after Book again (phone)');
    await page.context().close();
  });

  it('on a laptop: when someone else holds one of those seats on the other show, the nearest two like them are held instead, side by side', async () => {
    const { u, bookingId, seats, next } = await bookedWithAnother('again-near');
    const rival = await h.register('rival');
    const rs = await h.connect(rival.token);
    expect(await ack<Ack<object>>(rs, 'seat:hold', { showId: next.id, seatIds: [seats[1]] })).toMatchObject({ ok: true });
    const page = await newPage('laptop');
    await signIn(page, h.url, u.email, u.password);
    await bookAgain(page, bookingId, next.id);
    await page.click(`[data-again-show="${next.id}"]`);
    await expect.poll(() => page.textContent('[data-testid=again-result]'), { timeout: 10_000 }).toContain('nearest like them');
    const { seats: now } = await get<{ seats: Seat[] }>(`/api/shows/${next.id}/seats`);
    const held = await page.$$eval('[role=gridcell][data-state=mine]', (cells) => cells.map((c) => c.getAttribute('data-seat')!));
    expect(held).toHaveLength(2);
    expect(held).not.toContain(seats[1]);
    const [a, b] = held.map((id) => now.find((s) => s.id === id)!);
    expect(a!.row).toBe(b!.row);
    expect(Math.abs(a!.col - b!.col)).toBe(1);
    const category = now.find((s) => s.id === seats[0])!.category;
    expect([a!.category, b!.category]).toEqual([category, category]);
    await page.screenshot({ path: shot('favourites-laptop-again-nearest') });
    await expectAccessible(page, 'seat page after Book again, nearest seats (laptop)');
    rs.disconnect();
    await page.context().close();
  });
});

describe('preferences', () => {
  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: saving Telugu turns the page Telugu at once; logging in again from an English browser brings Telugu and the saved city back, and the saved seat type filters showtimes', async (size) => {
    const u = await h.register(`prefs-${size}`);
    // A Mumbai show with more than one kind of seat: its movie page shows the seat-type filter.
    const { shows: mumbai } = await get<{ shows: ShowSummary[] }>(`/api/shows?city=mumbai&date=${tomorrow}`);
    const mixed = mumbai.find((s) => s.seatKinds.some((k) => k !== 'standard') && s.seatKinds.length > 1)!;
    const kind = mixed.seatKinds.find((k) => k !== 'standard')!;
    const page = await newPage(size);
    await signIn(page, h.url, u.email, u.password);
    await page.goto(`${h.url}/account`);
    await page.waitForSelector('[data-testid=preferences]');
    await page.selectOption('#pref-language', 'te');
    await page.selectOption('#pref-city', 'mumbai');
    await page.selectOption('#pref-seat', kind);
    await page.check('#pref-offers');
    await page.click('[data-testid=preferences] button[type=submit]');
    await page.waitForFunction(() => document.documentElement.lang === 'te');
    await page.waitForSelector('text=మీ ఎంపికలు సేవ్ అయ్యాయి.');
    expect(await page.inputValue('[data-testid=city]')).toBe('mumbai');
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: shot(`favourites-${size}-preferences`), fullPage: true });
    await expectAccessible(page, `account preferences in Telugu (${size})`);
    const saved = await get<{ preferences: { language: string; offers: { consent: boolean; at: string | null } } }>('/api/me/preferences', u.token);
    expect(saved.preferences).toMatchObject({ language: 'te', city: 'mumbai', seatType: kind, offers: { consent: true } });
    expect(saved.preferences.offers.at).toMatch(/^\d{4}-\d\d-\d\dT/);

    // A fresh browser in English and Hyderabad: the log-in form brings the account's choices.
    const other = await browser.newContext({ viewport: sizes[size] });
    await other.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('mm.locale', 'en');
        localStorage.setItem('mm.city', 'hyderabad');
        sessionStorage.setItem('seeded', '1');
      }
    });
    const fresh = await other.newPage();
    await fresh.goto(`${h.url}/login`);
    expect(await fresh.evaluate(() => document.documentElement.lang)).toBe('en');
    await fresh.fill('#email', u.email);
    await fresh.fill('#password', u.password);
    await fresh.click('button[type=submit]');
    await fresh.waitForFunction(() => document.documentElement.lang === 'te');
    await expect.poll(() => fresh.inputValue('[data-testid=city]')).toBe('mumbai');
    // The saved seat type is the showtimes filter's first choice.
    await fresh.goto(`${h.url}/movies/${mixed.movie.id}?date=${tomorrow}`);
    await fresh.waitForSelector(`[data-testid=seat-filters] [data-kind=${kind}][aria-pressed=true]`);
    expect(new URL(fresh.url()).searchParams.get('seats')).toBe(kind);
    await other.close();
    await page.context().close();
  });
});
