/**
 * Uploaded posters in Chromium: staff pick a file on /staff/posters (preview shown, a bad file
 * refused in words), upload it, and the home card then offers the WebP sizes as a srcset
 * (loaded, 2:3, width/height set), on a laptop and a 360 px phone, with axe on each page.
 * Screenshots: test/artifacts/posters-{staff-<lang>,card-<size>}.png.
 */
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
const password = 'correct horse battery';

let h: Harness;
let browser: Browser;
let staffEmail: string;
let tomorrow: string;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
  staffEmail = `posters-${Math.random().toString(36).slice(2)}@test.example`;
  const r = await h.app.services.auth.register({ name: 'Poster staff', email: staffEmail, password }, 'staff', []);
  if (!r.ok) throw new Error('staff register failed');
  tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(size: keyof typeof sizes, lang = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.locale', l);
    localStorage.setItem('mm.city', 'hyderabad');
  }, lang);
  return context.newPage();
}

const poster = () =>
  sharp({ create: { width: 900, height: 1350, channels: 3, background: { r: 20, g: 90, b: 160 } } })
    .composite([{ input: Buffer.from('<svg width="900" height="1350"><rect x="100" y="200" width="700" height="300" fill="#f5c518"/></svg>') }])
    .jpeg()
    .toBuffer();

describe('uploaded posters in the browser', () => {
  it('staff upload a poster on the posters page: a preview first, a text file refused in Hindi, then the upload is confirmed (axe passes)', async () => {
    const page = await newPage('phone', 'hi');
    await signIn(page, h.url, staffEmail, password);
    await page.goto(`${h.url}/staff/posters`);
    await page.waitForSelector('[data-testid="poster-movie"] option[value="rrr"]', { state: 'attached' });
    await page.selectOption('[data-testid="poster-movie"]', 'rrr');

    await page.setInputFiles('[data-testid="poster-file"]', { name: 'poster.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all\n') });
    await page.click('button[type="submit"]');
    const refused = await page.waitForSelector('[role="alert"]');
    expect(await refused.textContent()).toContain('JPEG, PNG या WebP चित्र चुनें');

    await page.setInputFiles('[data-testid="poster-file"]', { name: 'rrr.jpg', mimeType: 'image/jpeg', buffer: await poster() });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('figure img')].some((i) => i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0));
    await expectAccessible(page, 'staff posters page (hi, phone)');
    await page.screenshot({ path: shot('posters-staff-hi'), fullPage: true });
    await page.click('button[type="submit"]');
    const done = await page.waitForSelector('[data-testid="poster-done"]');
    expect(await done.textContent()).toContain('RRR');
    expect(await page.getAttribute('figure img.poster', 'srcset')).toMatch(/160w.*320w.*640w/);
    await page.context().close();
  });

  it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s, the RRR card shows the uploaded poster through srcset (WebP, loaded, 2:3, sized before loading) and the page passes axe', async (size) => {
    const page = await newPage(size);
    await page.goto(`${h.url}/?date=${tomorrow}`);
    await page.click(`[data-date="${tomorrow}"]`);
    const img = page.locator('li.card', { has: page.locator('a[href^="/movies/rrr"]') }).locator('img.poster');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('li.card:has(a[href^="/movies/rrr"]) img.poster');
      return !!i && i.complete && i.naturalWidth > 0 && i.currentSrc.includes('.webp');
    });
    const got = await img.evaluate((i: HTMLImageElement) => ({
      srcset: i.getAttribute('srcset'),
      sizes: i.getAttribute('sizes'),
      width: i.getAttribute('width'),
      height: i.getAttribute('height'),
      current: i.currentSrc,
      ratio: i.getBoundingClientRect().height / i.getBoundingClientRect().width,
    }));
    expect(got.srcset).toMatch(/^\/api\/movies\/rrr\/poster\/160\.webp\?v=[\w-]+ 160w, \S+320\.webp\S* 320w, \S+640\.webp\S* 640w$/);
    expect(got.sizes).toBeTruthy();
    expect([got.width, got.height]).toEqual(['200', '300']);
    expect(got.current).toMatch(/\/api\/movies\/rrr\/poster\/\d+\.webp\?v=/);
    expect(got.ratio).toBeCloseTo(1.5, 1);
    // Another movie still has its generated SVG, without a srcset.
    const other = await page.locator('li.card img.poster:not([srcset])').first().getAttribute('src');
    expect(other).toMatch(/poster\.svg\?v=/);
    await expectAccessible(page, `home with an uploaded poster (${size})`);
    await img.screenshot({ path: shot(`posters-card-${size}`) });
    await page.screenshot({ path: shot(`posters-home-${size}`) });
    await page.context().close();
  });
});
