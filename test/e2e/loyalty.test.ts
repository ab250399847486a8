/**
 * Loyalty in Debian's Chromium, on a 360 px phone and a laptop: the Account page shows the
 * points, the tier and the ledger; checkout offers "Use N points (saves X)" from the server's
 * quote, and ticking it books at the discounted total. Every page passes axe; screenshots go
 * to test/artifacts/loyalty-<size>-*.png.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { phone: { width: 360, height: 740 }, laptop: { width: 1280, height: 800 } } as const;

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness({ config: { clientDir } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const textOf = (page: Page, sel: string) => page.$eval(sel, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 24 * 3600_000 });

describe.each(Object.entries(sizes))('loyalty in the browser (%s)', (size, viewport) => {
  it('Account shows points, tier and ledger; checkout uses points at the price the server quotes', async () => {
    const u = await h.register('loyal');
    const socket = await h.connect(u.token);
    const first = await newShow();
    await ack(socket, 'seat:hold', { showId: first.showId, seatIds: Array.from({ length: 10 }, (_, i) => `A${i + 1}`) });
    expect(await ack<Ack>(socket, 'booking:confirm', { showId: first.showId, idempotencyKey: `e2e-loyal-${size}-1` })).toMatchObject({ ok: true });
    const page = await (await browser.newContext({ viewport })).newPage();
    await signIn(page, h.url, u.email, u.password);

    await page.goto(`${h.url}/account`);
    await page.waitForSelector('[data-testid=loyalty-points]');
    expect(await textOf(page, '[data-testid=loyalty-points]')).toBe('180 points');
    expect(await textOf(page, '[data-testid=loyalty-tier]')).toBe('Silver'); // 180 points this year
    expect(await textOf(page, '[data-testid=loyalty] table')).toContain('Earned');
    expect(await textOf(page, '[data-testid=loyalty] table')).toContain('+180');
    await expectAccessible(page, `loyalty account ${size}`);
    await page.screenshot({ path: shot(`loyalty-${size}-account`), fullPage: true });

    const second = await newShow();
    await ack(socket, 'seat:hold', { showId: second.showId, seatIds: ['B1', 'B2'] });
    await page.goto(`${h.url}/shows/${second.showId}/checkout`);
    await page.waitForSelector('[data-testid=use-points]');
    // ₹360 of tickets: points pay at most a fifth (72 points, ₹72).
    expect(await page.$eval('[data-testid=use-points]', (e) => (e.closest('label')!.textContent ?? '').replace(/\s+/g, ' ').trim())).toBe('Use 72 points (saves ₹72)');
    expect(await textOf(page, '[data-testid=total]')).toBe('₹385.49');
    await page.click('[data-testid=use-points]');
    await page.waitForFunction(() => document.querySelector('[data-testid=total]')?.textContent?.includes('313.49'));
    expect(await textOf(page, '[data-testid=discount]')).toBe('−₹72');
    await expectAccessible(page, `loyalty checkout ${size}`);
    await page.screenshot({ path: shot(`loyalty-${size}-checkout`), fullPage: true });
    await page.click('button.confirm');
    await page.waitForURL(/\/bookings\/bk_/);

    await page.goto(`${h.url}/account`);
    await page.waitForSelector('[data-testid=loyalty-points]');
    expect(await textOf(page, '[data-testid=loyalty-points]')).toBe(`${180 - 72 + 28} points`);
    expect(await textOf(page, '[data-testid=loyalty] table')).toContain('Used');
    await page.context().close();
  });
});
