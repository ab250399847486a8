/**
 * Issue 17's done-when screenshots in one place, in Chromium, in English, Hindi and Telugu, on a
 * 360 px phone and a 1366 px laptop: the home page of a signed-in moviegoer with posters, rating
 * badges and the "For you" row; and a movie page's reviews (average, distribution, the list).
 * Each page is checked for what it must show in that language, no sideways scroll and no
 * serious axe finding. Files: test/artifacts/engagement-<lang>-<phone|laptop>-<home|movie>.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ShowSummary } from '../../protocol/index.js';
import { createReviewStore } from '../../server/adapters/dynamo/review-store.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { seedDemoReviews } from '../../server/seed/demo-reviews.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { phone: { width: 360, height: 740 }, laptop: { width: 1366, height: 900 } } as const;
const words = {
  en: { forYou: 'For you', reviews: 'Ratings and reviews', outOf: 'out of 5' },
  hi: { forYou: 'आपके लिए', reviews: 'रेटिंग और समीक्षाएँ', outOf: '5 में से' },
  te: { forYou: 'మీ కోసం', reviews: 'రేటింగ్‌లు, సమీక్షలు', outOf: '5కి' },
} as const;

let h: Harness;
let browser: Browser;
/** One signed-in moviegoer per page (one log-in each stays under the per-account log-in limit), each with RRR booked. */
const fans = new Map<string, { email: string; password: string }>();
let tomorrow: string;

async function book(token: string, show: ShowSummary, seat: string, key: string) {
  const s = await h.connect(token);
  expect(await ack<Ack>(s, 'seat:hold', { showId: show.id, seatIds: [seat] })).toMatchObject({ ok: true });
  expect(await ack<Ack>(s, 'booking:confirm', { showId: show.id, idempotencyKey: key })).toMatchObject({ ok: true });
  s.disconnect();
}

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  await seedDemoReviews(createReviewStore(h.dynamo), h.clock.now());
  tomorrow = addDays(localDate(h.clock.now(), 'Asia/Kolkata'), 1);
  const { shows } = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as { shows: ShowSummary[] };
  const showOf = (movieId: string) => shows.find((s) => s.movie.id === movieId)!;
  // Others booked RRR and Sita Ramam together; the fan booked RRR: "Because you watched RRR".
  for (let i = 0; i < 3; i++) {
    const u = await h.register(`both${i}`);
    await book(u.token, showOf('rrr'), `A${i + 1}`, `eng-rrr-${i}`);
    await book(u.token, showOf('sita-ramam'), `A${i + 1}`, `eng-sita-${i}`);
  }
  let seat = 0;
  for (const lang of Object.keys(words)) {
    for (const size of Object.keys(sizes)) {
      const u = await h.register(`fan-${lang}-${size}`);
      await book(u.token, showOf('rrr'), `B${++seat}`, `eng-fan-${lang}-${size}`);
      fans.set(`${lang}-${size}`, u);
    }
  }
  // The first ask builds the city's model (it reads two weeks of shows): done here, not inside a page's wait.
  const first = fans.values().next().value!;
  const login = await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first) });
  const { token } = (await login.json()) as { token: string };
  expect((await fetch(`${h.url}/api/me/recommendations?city=hyderabad&lang=en`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(lang: string, size: keyof typeof sizes): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.locale', l);
    localStorage.setItem('mm.city', 'hyderabad');
  }, lang);
  const page = await context.newPage();
  const fan = fans.get(`${lang}-${size}`)!;
  await signIn(page, h.url, fan.email, fan.password);
  return page;
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
/** The top of the page, taller than the window where it takes more to show the cards under "For you". */
const topShot = (page: Page, name: string, height: number) =>
  page.screenshot({ path: shot(name), fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize()!.width, height } });

describe.each(Object.keys(words) as (keyof typeof words)[])('in %s', (lang) => {
  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: home with posters, rating badges and For you; a movie page with average, distribution and reviews; no sideways scroll; axe', async (size) => {
    const w = words[lang];
    const page = await newPage(lang, size);
    await page.goto(`${h.url}/?date=${tomorrow}`);
    const row = page.getByRole('region', { name: w.forYou });
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getByRole('listitem').count(), { timeout: 5000 }).toBeGreaterThan(2);
    await page.locator('.cards [data-testid=card-rating]').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.cards [data-testid=card-rating]').count(), 'rating badges on the cards').toBeGreaterThan(3);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img')].filter((i) => i.loading !== 'lazy').every((i) => i.complete && i.naturalWidth > 0));
    await page.waitForLoadState('networkidle');
    expect(await noSideScroll(page), 'home: no sideways scroll').toBe(true);
    await topShot(page, `engagement-${lang}-${size}-home`, size === 'phone' ? 1600 : 1400);
    await expectAccessible(page, `home, signed in (${lang}, ${size})`);

    await page.goto(`${h.url}/movies/rrr?date=${tomorrow}`);
    const reviews = page.getByTestId('reviews');
    await reviews.getByTestId('review').nth(2).waitFor({ timeout: 10_000 });
    expect(await reviews.getByRole('heading', { level: 2 }).first().textContent()).toBe(w.reviews);
    expect(await reviews.getByTestId('average').textContent()).toContain(w.outOf);
    expect(await noSideScroll(page), 'movie: no sideways scroll').toBe(true);
    // From the reviews' heading down: the average, the distribution, the form and the first reviews.
    const box = (await reviews.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { y: r.top + window.scrollY, height: r.height };
    }))!;
    await page.screenshot({
      path: shot(`engagement-${lang}-${size}-movie`),
      fullPage: true,
      clip: { x: 0, y: Math.max(0, box.y - 16), width: sizes[size].width, height: Math.min(box.height + 32, size === 'phone' ? 1900 : 1300) },
    });
    await expectAccessible(page, `movie page reviews (${lang}, ${size})`);
    await page.context().close();
  });
});
