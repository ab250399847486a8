/**
 * The home page's filters in Chromium (issue 17): language, genre, theatre, area, time of day
 * (by the theatre's clock), minimum rating and seat type each narrow the movies; the filters
 * live in the URL (a shared link opens filtered, Back undoes one change); Clear filters brings
 * every movie back; the count is announced politely; on a 360 px phone the filters fold into a
 * panel worked with the keyboard, with no sideways scroll and no serious axe finding, in en/hi/te.
 * The city, theatres and shows are the test's own: tomorrow (theatre-local) at 09:30, 13:00,
 * 18:00 and 22:00, so they are in the future and in the same part of the day at any hour the
 * test runs. Screenshots: test/artifacts/filters-<lang>-<phone|laptop>.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout } from '../../protocol/index.js';
import { createReviewStore } from '../../server/adapters/dynamo/review-store.js';
import type { ShowRecord } from '../../server/ports.js';
import { addDays, localDate, zonedToUtc } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const ZONE = 'Asia/Kolkata';
const sizes = { laptop: { width: 1366, height: 900 }, phone: { width: 360, height: 740 } } as const;

const withRecliners: Layout = {
  categories: [
    { id: 'classic', label: 'Classic', kind: 'standard' },
    { id: 'recliner', label: 'Recliner', kind: 'recliner' },
  ],
  rows: [
    { label: 'A', category: 'classic', blocks: [5, 5] },
    { label: 'B', category: 'recliner', blocks: [4] },
  ],
  accessible: [],
  companions: [],
};
const plain: Layout = { categories: [{ id: 'classic', label: 'Classic', kind: 'standard' }], rows: [{ label: 'A', category: 'classic', blocks: [6, 6] }], accessible: [], companions: [] };

// Four movies, one show each: [id, title, genre, language, theatre, local time, rating or null].
const MOVIES = [
  ['morning-raga', 'Morning Raga', 'Drama', 'Telugu', 'lotus', '09:30', 4.5],
  ['noon-express', 'Noon Express', 'Action', 'Hindi', 'star', '13:00', 3],
  ['evening-tide', 'Evening Tide', 'Drama', 'Telugu', 'ruby', '18:00', null],
  ['night-watch', 'Night Watch', 'Thriller', 'Hindi', 'star', '22:00', 4],
] as const;
const ALL = ['Evening Tide', 'Morning Raga', 'Night Watch', 'Noon Express'];

let h: Harness;
let browser: Browser;
let tomorrow: string;

beforeAll(async () => {
  h = await startHarness({ config: { clientDir } });
  browser = await launchBrowser();
  const store = h.app.stores.catalog;
  tomorrow = addDays(localDate(h.clock.now(), ZONE), 1);
  await store.putCities([
    { id: 'filterpur', name: 'Filterpur', timeZone: ZONE, currency: 'INR', order: 0 },
    { id: 'otherpur', name: 'Otherpur', timeZone: ZONE, currency: 'INR', order: 1 },
  ]);
  await store.putTheatres([
    { id: 'lotus', name: 'Lotus Cinemas, Lakeside', address: '1 Lake Road', cityId: 'filterpur', timeZone: ZONE },
    { id: 'ruby', name: 'Ruby Talkies, Lakeside', address: '9 Lake Road', cityId: 'filterpur', timeZone: ZONE },
    { id: 'star', name: 'Star Screens, Old Town', address: '5 Fort Street', cityId: 'filterpur', timeZone: ZONE },
    { id: 'far', name: 'Far Pictures, Riverside', address: '2 River Road', cityId: 'otherpur', timeZone: ZONE },
  ]);
  await store.putScreens([
    { id: 'lotus-s1', theatreId: 'lotus', name: 'Screen 1', layout: withRecliners },
    { id: 'ruby-s1', theatreId: 'ruby', name: 'Screen 1', layout: plain },
    { id: 'star-s1', theatreId: 'star', name: 'Screen 1', layout: plain },
    { id: 'far-s1', theatreId: 'far', name: 'Screen 1', layout: plain },
  ]);
  await store.putMovies(MOVIES.map(([id, title, genre, language]) => ({ id, title, languages: [language], genres: [genre], runtimeMinutes: 120, certificate: 'U' })));
  const shows: ShowRecord[] = MOVIES.map(([id, , , language, theatre, time]) => ({
    id: `f-${id}`,
    movieId: id,
    screenId: `${theatre}-s1`,
    theatreId: theatre,
    cityId: 'filterpur',
    language,
    startsAt: zonedToUtc(tomorrow, time, ZONE),
    localDate: tomorrow,
    currency: 'INR',
    prices: theatre === 'lotus' ? { classic: 20_000, recliner: 45_000 } : ({ classic: 15_000 } as Record<string, number>),
    status: 'scheduled',
  }));
  await store.putMovies([{ id: 'far-away', title: 'Far Away', languages: ['Telugu'], genres: ['Drama'], runtimeMinutes: 120, certificate: 'U' }]);
  shows.push({ ...shows[0]!, id: 'f-far-away', movieId: 'far-away', screenId: 'far-s1', theatreId: 'far', cityId: 'otherpur', startsAt: zonedToUtc(tomorrow, '19:00', ZONE), prices: { classic: 15_000 } });
  await store.putShows(shows);
  // Ratings: one review per movie whose average is the rating (Noon Express 3, Night Watch 4, Morning Raga 4.5 from 5 and 4).
  const reviews = createReviewStore(h.dynamo);
  const at = new Date(h.clock.now() - 86_400_000).toISOString();
  for (const [id, , , , , , rating] of MOVIES) {
    if (rating === null) continue;
    const stars = rating === 4.5 ? [5, 4] : [rating];
    for (const [i, r] of stars.entries()) await reviews.put({ movieId: id, authorId: `fan-${i}`, authorName: `Fan${i}`, rating: r, text: 'Good.' }, at);
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function open(size: keyof typeof sizes, query = '', lang = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.city', 'filterpur');
    localStorage.setItem('mm.locale', l);
  }, lang);
  const page = await context.newPage();
  await page.goto(`${h.url}/?date=${tomorrow}${query}`);
  await page.locator('.cards').waitFor({ timeout: 10_000 });
  return page;
}

const titles = (page: Page) => page.$$eval('.cards h2 a', (as) => as.map((a) => a.textContent!.trim()).sort());
const shown = (page: Page, expected: string[]) => expect.poll(() => titles(page), { timeout: 5000 }).toEqual([...expected].sort());
const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);
const count = (page: Page) => page.getByTestId('result-count').textContent().then((t) => t!.trim());
const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('home filters on a laptop', () => {
  it('each filter narrows the movies (time of day by the theatre clock, area, theatre, language, genre, rating, seat type) and says how many, politely', async () => {
    const page = await open('laptop');
    await shown(page, ALL);
    const status = page.getByRole('status').filter({ hasText: 'movies' });
    expect(await status.textContent()).toContain('4 movies');
    expect(await page.getByTestId('filters-toggle').isVisible(), 'no Filters button on a laptop: every filter is in view').toBe(false);

    const time = page.getByTestId('time-filter');
    await time.getByRole('button', { name: /Morning/ }).click();
    await shown(page, ['Morning Raga']);
    expect(param(page, 'time')).toBe('morning');
    expect(await count(page)).toBe('1 movie');
    await time.getByRole('button', { name: /Night/ }).click();
    await shown(page, ['Morning Raga', 'Night Watch']);
    expect(param(page, 'time')).toBe('morning,night');
    await time.getByRole('button', { name: /Morning/ }).click();
    await time.getByRole('button', { name: /Night/ }).click();
    await time.getByRole('button', { name: /Afternoon/ }).click();
    await shown(page, ['Noon Express']);
    await time.getByRole('button', { name: /Afternoon/ }).click();
    await time.getByRole('button', { name: /Evening/ }).click();
    await shown(page, ['Evening Tide']);
    await time.getByRole('button', { name: /Evening/ }).click();
    await shown(page, ALL);

    const choose = async (testId: string, value: string, expected: string[], key: string) => {
      await page.getByTestId(testId).selectOption(value);
      await shown(page, expected);
      expect(param(page, key)).toBe(value);
      await page.getByTestId(testId).selectOption('');
      await shown(page, ALL);
    };
    expect(await page.getByTestId('area-filter').locator('option').allTextContents()).toEqual(['All areas', 'Lakeside', 'Old Town']);
    await choose('area-filter', 'Lakeside', ['Morning Raga', 'Evening Tide'], 'area');
    await choose('theatre-filter', 'star', ['Noon Express', 'Night Watch'], 'theatre');
    await choose('language-filter', 'Hindi', ['Noon Express', 'Night Watch'], 'language');
    await choose('genre-filter', 'Drama', ['Morning Raga', 'Evening Tide'], 'genre');
    await choose('rating-filter', '4', ['Morning Raga', 'Night Watch'], 'rating');
    await choose('rating-filter', '4.5', ['Morning Raga'], 'rating');

    const seats = page.getByTestId('seat-type-filter');
    await seats.getByRole('button', { name: 'Recliner' }).click();
    await shown(page, ['Morning Raga']);
    expect(param(page, 'seats')).toBe('recliner');
    expect(await seats.getByRole('button', { name: 'Recliner' }).getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });

  it('a shared link opens filtered; Back undoes one change at a time; Clear filters shows every movie and keeps the date', async () => {
    const page = await open('laptop', '&area=Lakeside&time=evening,night');
    await shown(page, ['Evening Tide']);
    expect(await page.getByTestId('area-filter').inputValue()).toBe('Lakeside');
    expect(await page.getByTestId('time-filter').getByRole('button', { name: /Evening/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('time-filter').getByRole('button', { name: /Morning/ }).getAttribute('aria-pressed')).toBe('false');

    await page.getByTestId('area-filter').selectOption('');
    await shown(page, ['Evening Tide', 'Night Watch']);
    await page.getByTestId('genre-filter').selectOption('Thriller');
    await shown(page, ['Night Watch']);
    await page.goBack();
    await shown(page, ['Evening Tide', 'Night Watch']);
    expect(await page.getByTestId('genre-filter').inputValue()).toBe('');
    await page.goBack();
    await shown(page, ['Evening Tide']);
    expect(await page.getByTestId('area-filter').inputValue()).toBe('Lakeside');
    await page.goForward();
    await shown(page, ['Evening Tide', 'Night Watch']);

    await page.getByTestId('clear-filters').click();
    await shown(page, ALL);
    const q = new URL(page.url()).searchParams;
    expect([...q.keys()]).toEqual(['date']);
    expect(q.get('date')).toBe(tomorrow);
    expect(await page.getByTestId('clear-filters').count(), 'nothing left to clear').toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'focus goes to the title box, not the page').toBe('search');

    // Nothing matches: said in the same polite status, with the way out beside it.
    await page.goto(`${h.url}/?date=${tomorrow}&genre=Thriller&time=morning`);
    await expect.poll(() => count(page), { timeout: 5000 }).toBe('No shows match. Try another date or filter.');
    expect(await page.locator('.cards').count()).toBe(0);
    await page.getByTestId('clear-filters').click();
    await shown(page, ALL);
    await page.screenshot({ path: shot('filters-en-laptop') });
    await expectAccessible(page, 'home filters (en, laptop)');
    await page.context().close();
  });
});

describe('home filters when the city changes', () => {
  it("drop the old city's theatre and area (keeping genre and the date), so the new city's movies show instead of nothing", async () => {
    const page = await open('laptop', '&theatre=lotus&area=Lakeside&genre=Drama');
    await shown(page, ['Morning Raga']);
    await page.getByTestId('city').selectOption('otherpur');
    await shown(page, ['Far Away']);
    expect(param(page, 'theatre')).toBeNull();
    expect(param(page, 'area')).toBeNull();
    expect(param(page, 'genre')).toBe('Drama');
    expect(param(page, 'date')).toBe(tomorrow);
    await page.getByTestId('city').selectOption('filterpur');
    await shown(page, ['Evening Tide', 'Morning Raga']);
    await page.context().close();
  });
});

const words = {
  en: { button: 'Filters', morning: 'Morning', night: 'Night', one: '1 movie' },
  hi: { button: 'फ़िल्टर', morning: 'सुबह', night: 'रात', one: '1 फ़िल्म' },
  te: { button: 'ఫిల్టర్లు', morning: 'ఉదయం', night: 'రాత్రి', one: '1 సినిమా' },
} as const;

describe.each(Object.keys(words) as (keyof typeof words)[])('home filters on a 360 px phone in %s', (lang) => {
  it('fold into a panel opened from the keyboard; a chip pressed with Space filters and counts the button; no sideways scroll; axe', async () => {
    const page = await open('phone', '', lang);
    const w = words[lang];
    const toggle = page.getByTestId('filters-toggle');
    expect((await toggle.textContent())!.trim()).toContain(w.button);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('time-filter').isVisible(), 'the panel starts closed').toBe(false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const night = page.getByTestId('time-filter').getByRole('button', { name: new RegExp(w.night) });
    await night.waitFor();
    await night.focus();
    await page.keyboard.press('Space');
    await shown(page, ['Night Watch']);
    expect(await count(page)).toBe(w.one);
    expect((await toggle.textContent())!.trim()).toContain(`${w.button} (1)`);
    expect(await page.getByTestId('time-filter').getByRole('button', { name: new RegExp(w.morning) }).isVisible()).toBe(true);
    expect(await noSideScroll(page), 'no sideways scroll with the panel open').toBe(true);
    await page.screenshot({ path: shot(`filters-${lang}-phone`), fullPage: true });
    await expectAccessible(page, `home filters panel open (${lang}, phone)`);
    await page.context().close();
  });
});
