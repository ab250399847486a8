/**
 * Posters and movie pages in Chromium, on a laptop and a 360 px phone, in English, Hindi and
 * Telugu: home cards show each movie's generated poster (loaded, sized before it loads, 2:3),
 * and a movie page shows its poster, facts, synopsis, cast and crew under proper headings.
 * Screenshots: test/artifacts/movies-<lang>-<size>-{home,movie}.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
const langs = ['en', 'hi', 'te'] as const;
const words = {
  en: { about: 'About the movie', people: 'Cast and crew', showtimes: 'Showtimes', director: 'Director' },
  hi: { about: 'फ़िल्म के बारे में', people: 'कलाकार और टीम', showtimes: 'शो का समय', director: 'निर्देशक' },
  te: { about: 'సినిమా గురించి', people: 'నటీనటులు, సాంకేతిక బృందం', showtimes: 'షో సమయాలు', director: 'దర్శకుడు' },
};

let h: Harness;
let browser: Browser;
let tomorrow: string;
let rrr: Movie;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  rrr = ((await (await fetch(`${h.url}/api/movies/rrr`)).json()) as { movie: Movie }).movie;
});
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
  return context.newPage();
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe.each(langs)('in %s', (lang) => {
  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: home cards show loaded 2:3 posters sized before loading; the movie page shows poster, facts, synopsis, cast and crew under headings, and passes axe', async (size) => {
    const page = await newPage(lang, size);
    await page.goto(`${h.url}/?date=${tomorrow}`);
    await page.click(`[data-date="${tomorrow}"]`);
    await page.waitForSelector('.cards img.poster');
    // Scroll the lazy ones in, then every poster on the page has loaded.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.cards img.poster')].every((i) => i.complete && i.naturalWidth > 0));
    await page.evaluate(() => window.scrollTo(0, 0));
    const posters = await page.$$eval('.cards img.poster', (imgs) =>
      (imgs as HTMLImageElement[]).map((i) => ({ src: i.getAttribute('src')!, w: i.getAttribute('width'), hgt: i.getAttribute('height'), ratio: i.getBoundingClientRect().height / i.getBoundingClientRect().width, width: i.getBoundingClientRect().width, loading: i.loading })),
    );
    expect(posters.length).toBeGreaterThan(5);
    expect(new Set(posters.map((p) => p.src)).size, 'one poster per movie').toBe(posters.length);
    for (const p of posters) {
      expect(p.src).toMatch(/^\/api\/movies\/[\w-]+\/poster\.svg\?v=/);
      expect([p.w, p.hgt]).toEqual(['200', '300']);
      expect(p.ratio).toBeCloseTo(1.5, 1);
    }
    expect(posters.slice(6).every((p) => p.loading === 'lazy'), 'below the first row: lazy').toBe(true);
    if (size === 'phone') expect(posters[0]!.width, 'two posters side by side on a phone').toBeLessThan(180);
    expect(await noSideScroll(page), 'home: no horizontal scroll').toBe(true);
    await page.screenshot({ path: shot(`movies-${lang}-${size}-home`) });
    await expectAccessible(page, `home with posters (${lang}, ${size})`);

    await page.goto(`${h.url}/movies/rrr?date=${tomorrow}`);
    await page.waitForSelector('a.time');
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('.about img.poster');
      return !!i && i.complete && i.naturalWidth > 0;
    });
    expect(await page.getAttribute('.about img.poster', 'alt')).toContain('RRR');
    expect(await page.textContent('[data-testid=synopsis]')).toBe(rrr.synopsis);
    expect(await page.getAttribute('[data-testid=synopsis]', 'lang')).toBe('en');
    const headings = await page.$$eval('main h1, main h2', (hs) => hs.map((x) => `${x.tagName}:${x.textContent!.trim()}`));
    expect(headings.slice(0, 4)).toEqual(['H1:RRR', `H2:${words[lang].about}`, `H2:${words[lang].showtimes}`, `H2:${words[lang].people}`]);
    const cast = await page.$$eval('[data-testid=cast-and-crew] .cast li', (li) => li.map((x) => x.textContent));
    expect(cast).toEqual(rrr.cast);
    expect(await page.textContent('[data-testid=cast-and-crew] .crew')).toContain(`${words[lang].director}S. S. Rajamouli`);
    expect(await noSideScroll(page), 'movie: no horizontal scroll').toBe(true);
    await page.screenshot({ path: shot(`movies-${lang}-${size}-movie`) });
    await page.screenshot({ path: shot(`movies-${lang}-${size}-movie-full`), fullPage: true });
    await expectAccessible(page, `movie page (${lang}, ${size})`);
    await page.context().close();
  });
});
