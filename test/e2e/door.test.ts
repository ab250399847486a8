/**
 * Issue 12 (5-7) in headless Chromium, at laptop and 360 px phone width: the door page's
 * verdicts (wrong time, valid, already used, cancelled, forged) each name the show; the
 * booking page of a used ticket says why it cannot be cancelled; /dev/mail shows the HTML
 * confirmation with its QR.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { messages } from '../../client/src/lib/messages.js';
import { launchBrowser, shot, signIn } from '../support/browser.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const viewports = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 360, height: 740 },
] as const;
type Viewport = (typeof viewports)[number];

let h: Harness;
let browser: Browser;
let soon: ShowFixture;
let tomorrow: ShowFixture;

beforeAll(async () => {
  h = await startHarness({ config: { clientDir } });
  browser = await launchBrowser();
  soon = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 30 * 60_000, rows: 10, perRow: 10 });
  tomorrow = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 24 * 3600_000, rows: 10, perRow: 10 });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function pageAs(email: string, password: string, vp: Viewport): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, deviceScaleFactor: vp.name === 'phone' ? 2 : 1 });
  const page = await context.newPage();
  await signIn(page, h.url, email, password);
  return page;
}

async function staffPage(vp: Viewport): Promise<Page> {
  const email = `gate-${Math.random().toString(36).slice(2)}@test.example`;
  const r = await h.app.services.auth.register({ name: 'Gate', email, password: 'correct horse battery' }, 'staff', ['test-theatre']);
  if (!r.ok) throw new Error('register failed');
  return pageAs(email, 'correct horse battery', vp);
}

async function book(showId: string, seatIds: string[]) {
  const user = await h.register('moviegoer');
  const s = await h.connect(user.token);
  await ack(s, 'seat:hold', { showId, seatIds });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId, idempotencyKey: `e2e-door-${Math.random().toString(36).slice(2)}` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  s.disconnect();
  return { booking: r.booking, user };
}

async function checkAtDoor(page: Page, code: string, result: string) {
  await page.fill('[data-testid=door-code]', code);
  await page.click('[data-testid=door-check]');
  await page.waitForSelector(`[data-testid=verdict][data-result=${result}]`);
  // Read what is there now (a forged verdict has no details; do not wait for them).
  const read = async (testid: string) => (await (await page.$(`[data-testid=${testid}]`))?.textContent()) ?? '';
  return { text: await read('verdict-text'), when: await read('verdict-when'), seats: await read('verdict-seats'), details: await read('verdict-details') };
}

/** Theatre-local wording: a zone name (IST), never a raw UTC timestamp. */
const expectLocalTime = (s: string) => {
  expect(s).toMatch(/IST/);
  expect(s).not.toMatch(/\d{4}-\d\d-\d\dT/);
};

describe('door page', () => {
  for (const vp of viewports) {
    it(`each verdict names movie, screen, local date and time and seats; tomorrow's ticket is wrong time and stays unused (${vp.name})`, async () => {
      const row = vp.name === 'laptop' ? 'A' : 'B';
      const later = await book(tomorrow.showId, [`${row}1`, `${row}2`]);
      const now = await book(soon.showId, [`${row}3`, `${row}4`]);
      const gone = await book(soon.showId, [`${row}5`]);
      expect((await call(h.url, 'POST', `/api/bookings/${gone.booking.id}/cancel`, { token: gone.user.token })).status).toBe(200);
      const page = await staffPage(vp);
      await page.goto(`${h.url}/staff/door`);

      const early = await checkAtDoor(page, later.booking.ticketCode!, 'wrong_time');
      expect(early.text).toMatch(/^This ticket is for .+\. Entry opens at .+\.$/);
      expectLocalTime(early.text);
      expectLocalTime(early.when);
      expect(early.details).toContain('The Test Movie');
      expect(early.details).toContain('Test Theatre, Screen T');
      expect(early.seats).toBe(`${row}1, ${row}2`);
      expect((await h.app.stores.bookings.get(later.booking.id))?.usedAt).toBeUndefined();
      await page.screenshot({ path: shot(`door-wrong-time-${vp.name}`), fullPage: true });

      const valid = await checkAtDoor(page, now.booking.ticketCode!, 'valid');
      expect(valid.text).toBe(`Admit 2 (${row}3, ${row}4).`);
      expect(valid.seats).toBe(`${row}3, ${row}4`);
      expectLocalTime(valid.when);
      await page.screenshot({ path: shot(`door-valid-${vp.name}`), fullPage: true });

      const used = await checkAtDoor(page, now.booking.ticketCode!, 'already_used');
      expect(used.text).toMatch(/^Checked in at .+\. No second entry\.$/);
      expectLocalTime(used.text);
      expect(used.details).toContain('Screen T');
      await page.screenshot({ path: shot(`door-already-used-${vp.name}`), fullPage: true });

      const cancelled = await checkAtDoor(page, gone.booking.ticketCode!, 'cancelled');
      expect(cancelled.seats).toBe(`${row}5`);
      await page.screenshot({ path: shot(`door-cancelled-${vp.name}`), fullPage: true });

      await checkAtDoor(page, now.booking.ticketCode!.slice(0, -2) + 'xx', 'forged');
      expect(await page.$('[data-testid=verdict-details]')).toBeNull();
      await page.screenshot({ path: shot(`door-forged-${vp.name}`), fullPage: true });
      await page.context().close();
    });
  }
});

describe('door page in Hindi and Telugu', () => {
  for (const locale of ['hi', 'te'] as const) {
    it(`the wrong-time and valid verdicts read in ${locale} (phone)`, async () => {
      const row = locale === 'hi' ? 'E' : 'F';
      const later = await book(tomorrow.showId, [`${row}1`]);
      const now = await book(soon.showId, [`${row}2`]);
      const page = await staffPage(viewports[1]);
      await page.evaluate((l) => localStorage.setItem('mm.locale', l), locale);
      await page.goto(`${h.url}/staff/door`);
      expect(await page.textContent('h1')).toBe(messages[locale].doorTitle);

      await checkAtDoor(page, later.booking.ticketCode!, 'wrong_time');
      expect(await page.textContent('[data-testid=verdict] h2')).toBe(messages[locale].verdictWrongTime);
      await page.screenshot({ path: shot(`door-wrong-time-${locale}-phone`), fullPage: true });
      const valid = await checkAtDoor(page, now.booking.ticketCode!, 'valid');
      expect(valid.text).toBe(messages[locale].verdictValidText.replace('{n}', '1').replace('{seats}', `${row}2`));
      await page.screenshot({ path: shot(`door-valid-${locale}-phone`), fullPage: true });
      await page.context().close();
    });
  }
});

describe('booking page of a used ticket', () => {
  for (const vp of viewports) {
    it(`says it was used at the door and cannot be cancelled, with no cancel button (${vp.name})`, async () => {
      const { booking, user } = await book(soon.showId, [vp.name === 'laptop' ? 'C1' : 'C2']);
      const page = await pageAs(user.email, user.password, vp);
      await page.goto(`${h.url}/bookings/${booking.id}`);
      await page.waitForSelector('[data-testid=cancel-booking]'); // before the door: it can be cancelled

      const staff = await h.app.services.auth.register({ name: 'Gate', email: `gate-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
      if (!staff.ok) throw new Error('register failed');
      expect((await call(h.url, 'POST', '/api/tickets/verify', { token: staff.value.token, body: { code: booking.ticketCode } })).body.result).toBe('valid');

      // The page still offers to cancel (it was loaded before the check-in): the server refuses and the page says why.
      await page.click('[data-testid=cancel-booking]');
      await page.click('[data-testid=cancel-yes]');
      await page.waitForSelector('[role=alert]');
      expect(await page.textContent('[role=alert]')).toBe(messages.en.ticketUsedError);
      await page.waitForSelector('[data-testid=used-reason]');
      expect(await page.$('[data-testid=cancel-booking]')).toBeNull();
      expect((await h.app.stores.bookings.get(booking.id))?.status).toBe('confirmed');

      await page.reload();
      const reason = await page.waitForSelector('[data-testid=used-reason]');
      const text = (await reason.textContent()) ?? '';
      expect(text).toMatch(/Used at the door on .+\. A used ticket cannot be cancelled or refunded\./);
      expectLocalTime(text);
      expect(await page.$('[data-testid=cancel-booking]')).toBeNull();
      expect(await page.$('[data-testid=download-ticket]')).not.toBeNull();
      await page.screenshot({ path: shot(`booking-used-${vp.name}`), fullPage: true });
      await page.context().close();
    });
  }
});

describe('local mail outbox', () => {
  it('shows the HTML confirmation with its QR image and the PDF attachment (laptop and phone)', async () => {
    const { booking } = await book(soon.showId, ['D7', 'D8']);
    await h.app.services.notifications.drain();
    for (const vp of viewports) {
      // Tall enough for the whole mail: a sandboxed frame below the fold is not painted into screenshots.
      const context = await browser.newContext({ viewport: { width: vp.width, height: 1800 }, deviceScaleFactor: vp.name === 'phone' ? 2 : 1 });
      const page = await context.newPage();
      await page.goto(`${h.url}/dev/mail`);
      const article = page.locator(`article[data-mail="booking.confirmed:${booking.id}"]`);
      const mail = article.frameLocator('iframe.mail');
      await expect.poll(() => mail.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 5000 }).toBe(true);
      expect(await mail.locator('h1').textContent()).toBe('The Test Movie');
      expect(await mail.locator('body').textContent()).toContain('D7, D8');
      expect(await mail.locator('a', { hasText: 'Open your ticket (PDF)' }).getAttribute('href')).toMatch(/\/api\/tickets\/MMT1\.[^/]+\/ticket\.pdf$/);
      expect(await article.locator('a', { hasText: `movie-magic-${booking.id}.pdf` }).count()).toBe(1);
      // The sandboxed frame paints in its own process: bring it on screen and let it paint first.
      await article.scrollIntoViewIfNeeded();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await article.screenshot({ path: shot(`mail-confirmation-${vp.name}`) });
      await context.close();
    }
  });
});
