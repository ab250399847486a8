/**
 * Issue 18: /api/docs in Chromium lists every HTTP operation and socket event of the two
 * documents, under the app's strict CSP (no violation reported, no console error), opens an
 * operation's schemas, has no horizontal overflow at 360 px and no serious axe finding.
 * Screenshots: test/artifacts/api-docs-{laptop,phone}.png.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, shot } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

describe('the API docs page', () => {
  for (const [size, viewport] of Object.entries(sizes)) {
    it(`lists every operation and event, opens one, under the strict CSP with no violation, axe clean (${size})`, async () => {
      const openapi = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as { paths: Record<string, object> };
      const asyncapi = (await (await fetch(`${h.url}/api/asyncapi.json`)).json()) as { operations: object };
      const operations = Object.values(openapi.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      const events = Object.keys(asyncapi.operations).length;

      const page = await (await browser.newContext({ viewport })).newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      // Runs before the page's own script, outside its CSP: records every violation the browser reports.
      await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
      const res = await page.goto(`${h.url}/api/docs`);
      expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect.poll(() => page.locator('#status').textContent()).toBe(`${operations} HTTP operations, ${events} socket events.`);
      expect(await page.locator('#http details.op').count()).toBe(operations);
      expect(await page.locator('#events details.op').count()).toBe(events);

      await page.locator('#getSeats > summary').click();
      await expect.poll(() => page.locator('#getSeats').getAttribute('open')).toBe('');
      expect(await page.locator('#getSeats').textContent()).toContain('Body: SeatMap');
      await page.locator('#event-seatHold > summary').click();
      expect(await page.locator('#event-seatHold').textContent()).toContain('SeatHoldAck');

      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await expectAccessible(page, `API docs (${size})`);
      await page.screenshot({ path: shot(`api-docs-${size}`) });
      expect(problems).toEqual([]);
    });
  }
});
