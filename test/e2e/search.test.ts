/**
 * The search box in Chromium on a 360×740 phone: results as you type, chosen with the keys or a
 * tap, no horizontal scroll, no serious axe finding with the list open. Screenshot:
 * test/artifacts/en-phone-search.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir } });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function phonePage(locale = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.city', 'hyderabad');
    localStorage.setItem('mm.locale', l);
  }, locale);
  const page = await context.newPage();
  await page.goto(h.url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return page;
}

describe('the search box on a phone', () => {
  it('"bahubali" lists Baahubali 2 first; ArrowDown and Enter open its movie page', async () => {
    const page = await phonePage();
    const box = page.getByRole('combobox', { name: 'Search movies, theatres and areas' });
    await box.fill('bahubali');
    const first = page.getByRole('option').first();
    await expect.poll(() => first.textContent(), { timeout: 5000 }).toContain('Baahubali 2: The Conclusion');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('status').filter({ hasText: 'result' }).textContent()).toMatch(/1 result/);
    await page.screenshot({ path: shot('en-phone-search') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll').toBe(true);
    await expectAccessible(page, 'search box open (en, phone)');

    await box.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await box.press('Enter');
    await page.waitForURL(/\/movies\/baahubali-2-the-conclusion$/);
    expect(await box.inputValue()).toBe('');
    await page.context().close();
  });

  it('Escape closes the list; a tap on a theatre opens the home page at that theatre only', async () => {
    const page = await phonePage();
    const box = page.getByTestId('find');
    await box.fill('pvr inorbit');
    const theatre = page.getByRole('option', { name: /PVR Inorbit Mall, Madhapur/ });
    await theatre.waitFor({ timeout: 5000 });
    await box.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await box.press('ArrowDown');
    await theatre.click();
    await page.waitForURL(/\/\?theatre=pvr-inorbit-mall-madhapur$/);
    await expect.poll(() => page.getByTestId('theatre-only').textContent(), { timeout: 5000 }).toContain('Showing only PVR Inorbit Mall, Madhapur.');
    await page.screenshot({ path: shot('en-phone-search-theatre'), fullPage: true });
    await page.context().close();
  });

  it('in Hindi: "बाहुबली" lists Baahubali 2, and a movie not on in Hyderabad says so in Hindi', async () => {
    const page = await phonePage('hi');
    const box = page.getByTestId('find');
    await box.fill('बाहुबली');
    await expect.poll(() => page.getByRole('option').first().textContent(), { timeout: 5000 }).toContain('Baahubali 2: The Conclusion');
    await page.screenshot({ path: shot('hi-phone-search') });
    await box.fill('oppenheimer');
    await expect.poll(() => page.getByRole('option').first().textContent(), { timeout: 5000 }).toContain('हैदराबाद में नहीं चल रही');
    await expectAccessible(page, 'search box open (hi, phone)');
    await page.context().close();
  });

  it('says so when nothing matches', async () => {
    const page = await phonePage();
    await page.getByTestId('find').fill('zzqx');
    await expect.poll(() => page.getByText('Nothing found for “zzqx”.').count(), { timeout: 5000 }).toBe(1);
    await page.context().close();
  });
});
