/**
 * Every page in English, Hindi and Telugu, on a laptop (1280×800) and a 360×740 phone:
 * no word left in English in Hindi or Telugu (data such as movie titles, theatre names
 * and seat categories excepted), no horizontal overflow, the page has its own title, and
 * axe-core finds no serious or critical violation. Screenshots of each page go to
 * test/artifacts/<lang>-<size>-<page>.png, to be looked at.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const THEATRE = 'pvr-inorbit-mall-madhapur';
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
const langs = ['en', 'hi', 'te'] as const;
type Lang = (typeof langs)[number];

let h: Harness;
let browser: Browser;
let tomorrow: string;
let showId: string;
let movieId: string;
/** Words that are data, not UI: movie titles, theatre names and addresses, seat categories. */
let dataWords: string[] = [];

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as {
    shows: { id: string; capacity: number; movie: { id: string }; theatre: { id: string; name: string; address: string } }[];
  };
  const show = shows.find((s) => s.capacity < 1000 && s.theatre.id === THEATRE)!;
  showId = show.id;
  movieId = show.movie.id;
  const { movies } = (await (await fetch(`${h.url}/api/movies`)).json()) as { movies: { title: string }[] };
  // Category labels are the theatre's own data, like its name (the layout editor sets them).
  dataWords = [...movies.map((m) => m.title), ...shows.flatMap((s) => [s.theatre.name, s.theatre.address]), 'Classic', 'Premium', 'Recliner', 'VIP', 'Couple'];
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** A new staff member of the theatre (one per test: log-ins per account are limited). */
async function newStaff() {
  const staff = { email: `staff-tour-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' };
  const r = await h.app.services.auth.register({ name: 'Lakshmi', ...staff }, 'staff', [THEATRE]);
  if (!r.ok) throw new Error('staff sign-up failed');
  return staff;
}

async function newPage(lang: Lang, size: keyof typeof sizes): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.locale', l);
    localStorage.setItem('mm.city', 'hyderabad');
  }, lang);
  return context.newPage();
}

/** Visible and spoken text of the page in its own language (text marked with another lang="" is left out). */
const pageText = (page: Page) =>
  page.evaluate(() => {
    const own = document.documentElement.lang;
    const parts: string[] = [document.title];
    const foreign = (el: Element | null) => !!el?.closest(`[lang]:not([lang="${own}"])`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style') || foreign(el)) continue;
      parts.push(n.textContent ?? '');
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (foreign(el)) continue;
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.hasAttribute(a)) parts.push(el.getAttribute(a)!);
    }
    return parts.join('\n');
  });

/** Elements whose own Devanagari or Telugu text is letter-spaced (which tears conjuncts apart). */
const spacedIndicText = (page: Page) =>
  page.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((el) => {
        const spacing = getComputedStyle(el).letterSpacing;
        const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
        return spacing !== 'normal' && spacing !== '0px' && /[\u0900-\u097F\u0C00-\u0C7F]/.test(own);
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );

/** English words left in a Hindi or Telugu page, after data, ids, emails and codes are taken out. */
function englishLeft(text: string, extra: string[] = []): string[] {
  let rest = text;
  for (const d of [...dataWords, ...extra].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(' ');
  rest = rest
    .replace(/\S+@\S+/g, ' ') // emails
    .replace(/\b(?:bk|show)[_-][A-Za-z0-9_.-]+/g, ' ') // booking and show ids
    .replace(/MM1\.\S*/g, ' ') // ticket codes
    .replace(/\b(?:PDF|CSV|QR|UA|U|A)\b/g, ' ');
  return [...new Set(rest.match(/[A-Za-z]{3,}/g) ?? [])];
}

async function look(page: Page, lang: Lang, size: keyof typeof sizes, name: string, extra: string[] = []) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.screenshot({ path: shot(`${lang}-${size}-${name}`) });
  await page.screenshot({ path: shot(`${lang}-${size}-${name}-full`), fullPage: true });
  const where = `${name} (${lang}, ${size})`;
  expect(await page.evaluate(() => document.documentElement.lang), where).toBe(lang);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${where}: no horizontal scroll`).toBe(true);
  const title = await page.title();
  expect(title, `${where}: its own title`).toMatch(/ · /);
  if (lang !== 'en') expect(englishLeft(await pageText(page), extra), `${where}: English left`).toEqual([]);
  expect(await spacedIndicText(page), `${where}: letter-spaced Devanagari or Telugu`).toEqual([]);
  await expectAccessible(page, where);
  return title;
}

/** Books the first free seat of the show for a new user (the door page checks its ticket). */
async function book(): Promise<Booking> {
  const { seats } = (await (await fetch(`${h.url}/api/shows/${showId}/seats`)).json()) as { seats: { id: string; status: string }[] };
  const seatIds = [seats.find((s) => s.status === 'free')!.id];
  const u = await h.register('door-guest');
  const s = await h.connect(u.token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `tour-${Math.random().toString(36).slice(2)}` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.booking;
}

describe.each(langs)('in %s', (lang) => {
  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: a moviegoer\'s pages are translated, fit, have their own titles and pass axe', async (size) => {
    const page = await newPage(lang, size);
    const titles = new Set<string>();
    await page.goto(`${h.url}/?date=${tomorrow}`);
    await page.click(`[data-date="${tomorrow}"]`);
    await page.waitForSelector('.cards a');
    titles.add(await look(page, lang, size, 'home'));

    await page.goto(`${h.url}/movies/${movieId}?date=${tomorrow}`);
    await page.waitForSelector('a.time');
    titles.add(await look(page, lang, size, 'movie'));

    // A field error shown when the field is left: in the page's language, as a sentence.
    await page.goto(`${h.url}/login`);
    await page.focus('#email');
    await page.focus('#password');
    await page.waitForSelector('#email-err');
    titles.add(await look(page, lang, size, 'login-field-error'));

    const u = await h.register('tour');
    await signIn(page, h.url, u.email, u.password);
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell][data-state=free]');
    const seat = await page.$eval('[role=gridcell][data-state=free]', (c) => c.getAttribute('data-seat')!);
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`);
    await page.waitForSelector('[role=timer]');
    expect(await page.textContent('[role=timer]')).toMatch(/\d:\d\d/);
    titles.add(await look(page, lang, size, 'seat-map', ['user', 'tour']));

    await page.goto(`${h.url}/shows/${showId}/checkout`);
    await page.waitForSelector('[data-testid=total]');
    titles.add(await look(page, lang, size, 'checkout'));
    await page.click('button.confirm');
    await page.waitForSelector('[data-booking]');
    titles.add(await look(page, lang, size, 'booking'));

    await page.goto(`${h.url}/bookings`);
    await page.waitForSelector('[data-booking]');
    titles.add(await look(page, lang, size, 'bookings'));

    await page.goto(`${h.url}/account`);
    await page.waitForSelector('[data-testid=email-status]');
    titles.add(await look(page, lang, size, 'account', ['tour']));
    expect(titles.size, 'each page has its own title').toBe(8);
  });

  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: the staff pages are translated, fit, have their own titles and pass axe', async (size) => {
    const booking = await book();
    // The door lets a ticket in only from an hour before its show: move the server's clock there.
    const { show } = (await (await fetch(`${h.url}/api/shows/${showId}`)).json()) as { show: { startsAt: string } };
    h.clock.ms = Math.max(h.clock.ms, Date.parse(show.startsAt) - 30 * 60_000);
    const page = await newPage(lang, size);
    const staff = await newStaff();
    await signIn(page, h.url, staff.email, staff.password);
    await page.goto(`${h.url}/staff?date=${tomorrow}`);
    await page.waitForSelector(`[data-show="${showId}"] [data-testid=booked]`);
    const titles = new Set<string>([await look(page, lang, size, 'staff-dashboard', ['Lakshmi'])]);

    await page.goto(`${h.url}/staff/door`);
    await page.fill('[data-testid=door-code]', booking.ticketCode!);
    await page.click('[data-testid=door-check]');
    await page.waitForSelector('[data-testid=verdict][data-result=valid]');
    titles.add(await look(page, lang, size, 'door-valid', ['Lakshmi']));

    await page.goto(`${h.url}/staff/manage`);
    await page.waitForSelector('.preview .seat');
    titles.add(await look(page, lang, size, 'staff-manage', ['Lakshmi']));
    expect(titles.size, 'each page has its own title').toBe(3);
  });
});
