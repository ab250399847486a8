/**
 * The test gateway's hosted pay page in Chromium: every tab in English, Hindi and Telugu on
 * a laptop (1280×800) and a 360×740 phone has no horizontal overflow and no serious or
 * critical axe-core finding; the time left counts down; paying with the success card
 * through the real form lands on the merchant's return page with `?order=`, captured.
 * Screenshots go to test/artifacts/test-gateway-<lang>-<size>-<tab>.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { startRig, type Rig } from '../support/test-gateway-rig.js';

const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
const langs = ['en', 'hi', 'te'] as const;
const tabs = ['card', 'upi', 'netbanking', 'wallet'] as const;

let rig: Rig;
let browser: Browser;
let n = 0;

beforeAll(async () => {
  rig = await startRig({ approveLaterMs: 300 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

const newOrder = () =>
  rig.gateway.createOrder({
    paymentId: `pay_e2e_${Date.now().toString(36)}_${++n}`,
    bookingId: 'bk_e2e',
    amount: 123_456,
    currency: 'INR',
    description: 'Kalki 2898 AD · PVR Inorbit Mall, Madhapur · H7, H8, H9',
    returnUrl: `${rig.merchantUrl}/return`,
    expiresAt: rig.clock.now() + 600_000,
  });

async function newPage(size: keyof typeof sizes): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  return context.newPage();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the pay page', () => {
  for (const size of Object.keys(sizes) as (keyof typeof sizes)[]) {
    it(`every tab in en, hi and te on a ${size}: no overflow, axe clean`, async () => {
      const { payUrl } = await newOrder();
      const page = await newPage(size);
      try {
        for (const lang of langs) {
          for (const tab of tabs) {
            await page.goto(`${payUrl}?lang=${lang}&method=${tab}`);
            expect(await page.getAttribute('html', 'lang')).toBe(lang);
            expect(await page.locator('a[aria-current="page"]').getAttribute('href')).toContain(`method=${tab}`);
            expect(await overflow(page), `${lang} ${size} ${tab} overflows`).toBeLessThanOrEqual(0);
            await expectAccessible(page, `test gateway ${lang} ${size} ${tab}`);
            await page.screenshot({ path: shot(`test-gateway-${lang}-${size}-${tab}`), fullPage: true });
          }
        }
      } finally {
        await page.context().close();
      }
    });
  }

  it('a form with mistakes is accessible too, its errors tied to their fields', async () => {
    const { payUrl } = await newOrder();
    const page = await newPage('phone');
    try {
      await page.goto(`${payUrl}?lang=te`);
      await page.getByLabel('కార్డ్ నంబర్').fill('1234 5678');
      await page.getByLabel('గడువు తేదీ (MM/YY)').fill('13/99');
      await page.getByRole('button', { name: /చెల్లించండి/ }).click();
      await page.waitForSelector('#number-error');
      expect(await page.getAttribute('#number', 'aria-describedby')).toBe('number-error');
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page, 'test gateway form errors te phone');
      await page.screenshot({ path: shot('test-gateway-te-phone-errors'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('the time left counts down on the page', async () => {
    const { payUrl } = await newOrder();
    const page = await newPage('laptop');
    try {
      await page.goto(payUrl);
      expect(await page.textContent('#time-left')).toBe('10 min 0 s');
      await page.waitForFunction(() => document.getElementById('time-left')?.textContent !== '10 min 0 s', null, { timeout: 5000 });
      expect(await page.textContent('#time-left')).toMatch(/^9 min 5\d s$/);
    } finally {
      await page.context().close();
    }
  });

  it('paying with the success card lands on the return page with ?order=, the order captured and announced', async () => {
    const { payUrl, orderRef } = await newOrder();
    const page = await newPage('phone');
    try {
      await page.goto(`${payUrl}?lang=hi`);
      await page.getByLabel('कार्ड नंबर').fill('4111 1111 1111 1111');
      await page.getByLabel('समाप्ति तिथि (MM/YY)').fill('12/39');
      await page.getByLabel('सीवीवी').fill('123');
      await page.getByRole('button', { name: /का भुगतान करें/ }).click();
      await page.waitForURL(`${rig.merchantUrl}/return?order=${orderRef}`);
      expect(await page.textContent('#order')).toBe(orderRef);
      expect((await rig.gateway.status(orderRef)).state).toBe('captured');
      expect(rig.webhooks.some((w) => w.body.data.orderRef === orderRef && w.body.type === 'payment.captured')).toBe(true);
      await page.goto(payUrl);
      expect(await page.textContent('[role="status"]')).toBe('This order is paid.');
      await expectAccessible(page, 'test gateway paid');
    } finally {
      await page.context().close();
    }
  });
});
