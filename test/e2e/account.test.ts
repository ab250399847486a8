/**
 * Accounts and sessions in Debian's Chromium: the session survives reloads with no token
 * in storage; access tokens that last 5 seconds are refreshed and the socket renewed
 * without the user noticing; password reset from the emailed link; log out everywhere
 * signs another browser out at once; checkout waits for a confirmed email.
 * Screenshots go to test/artifacts/.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
let h: Harness;
let browser: Browser;
let showId: string;

beforeAll(async () => {
  h = await startHarness({ demoData: true, config: { clientDir, accessTokenSeconds: 5, requireVerifiedEmail: true } });
  browser = await launchBrowser();
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const r = (await (await fetch(`${h.url}/api/shows?city=hyderabad&date=${tomorrow}`)).json()) as { shows: { id: string; capacity: number }[] };
  showId = r.shows.find((s) => s.capacity < 1000)!.id;
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const newPage = async (width = 1280, height = 900) => (await browser.newContext({ viewport: { width, height } })).newPage();

/** The newest mail to `email` of `kind`, from the local outbox's /dev/mail. */
async function mailLink(email: string, kind: string, page: string): Promise<string> {
  await h.app.services.notifications.drain();
  const { mails } = (await (await fetch(`${h.url}/dev/mail`, { headers: { accept: 'application/json' } })).json()) as {
    mails: { to: string; kind: string; text: string }[];
  };
  const mail = mails.find((m) => m.to === email && m.kind === kind);
  const link = mail && new RegExp(`http://localhost:3000(/${page}\\?token=\\S+)`).exec(mail.text)?.[1];
  if (!link) throw new Error(`no ${kind} mail for ${email}`);
  return `${h.url}${link}`;
}

const freeSeat = (page: Page) => page.$eval('[role=gridcell][data-state=free]', (c) => c.getAttribute('data-seat')!);

async function verified(name: string) {
  const u = await h.register(name);
  const token = new URL(await mailLink(u.email, 'account.verify-email', 'verify-email')).searchParams.get('token')!;
  await fetch(`${h.url}/api/auth/verify-email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  return u;
}

describe('sessions in the browser', () => {
  it('a reload keeps you logged in, with no token in storage or in reach of scripts', async () => {
    const u = await verified('reload');
    const page = await newPage();
    await page.goto(`${h.url}/login`);
    await expectAccessible(page, 'log-in');
    await page.fill('#email', u.email);
    await page.fill('#password', u.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=account-link]');
    await page.reload();
    await page.waitForSelector('[data-testid=account-link]');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
    expect(stored).not.toMatch(/eyJ/); // no JWT
    expect(stored).not.toMatch(/MMR1|mm_refresh/); // the refresh token is httpOnly
  });

  it('tokens that expire every 5 s are renewed quietly: seats can still be held and bookings read, without a reload', async () => {
    const u = await verified('quiet');
    const page = await newPage();
    await signIn(page, h.url, u.email, u.password);
    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    await page.waitForTimeout(7_000); // more than one access token's life
    const seat = await freeSeat(page);
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`, { timeout: 5000 });
    await page.waitForTimeout(6_000);
    await page.click('text=Release all');
    await page.waitForSelector(`[data-seat="${seat}"][data-state=free]`, { timeout: 5000 });
    await page.click('text=My bookings');
    await page.waitForSelector('text=No bookings yet.');
    await expectAccessible(page, 'my bookings, none yet');
    expect(await page.isVisible('text=Log in')).toBe(false);
  });
});

describe('password reset', () => {
  it('from the login page to a new password through the emailed link, on a phone', async () => {
    const u = await verified('phone-reset');
    const page = await newPage(360, 740);
    await page.goto(`${h.url}/login`);
    await page.click('text=Forgot your password?');
    await page.fill('#email', u.email);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=reset-sent]');
    await page.screenshot({ path: shot('forgot-password-phone') });
    await expectAccessible(page, 'forgot password, link sent (phone)');

    await page.goto(await mailLink(u.email, 'account.password-reset', 'reset-password'));
    await page.waitForSelector('#password');
    expect(page.url()).toBe(`${h.url}/reset-password`); // the code left the address bar
    await page.fill('#password', 'password123');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('.field-error')).toMatch(/common/);
    await page.screenshot({ path: shot('reset-password-phone') });
    await expectAccessible(page, 'reset password with a field error (phone)');
    await page.fill('#password', 'monsoon tickets 2026');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Your new password is set');
    await page.waitForSelector('[data-testid=account-link]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const old = await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: u.password }) });
    expect(old.status).toBe(401);
  });
});

describe('account page', () => {
  it('log out everywhere signs another browser out at once; it keeps watching seats as a guest', async () => {
    const u = await verified('everywhere');
    const [laptop, phone] = await Promise.all([newPage(), newPage(390, 844)]);
    await signIn(laptop, h.url, u.email, u.password);
    await signIn(phone, h.url, u.email, u.password);
    await phone.goto(`${h.url}/shows/${showId}`);
    await phone.waitForSelector('[role=gridcell]');
    await phone.waitForSelector('text=Pick your seats');

    await laptop.goto(`${h.url}/account`);
    await laptop.waitForSelector('text=Change password');
    await laptop.screenshot({ path: shot('account-desktop'), fullPage: true });
    await expectAccessible(laptop, 'account');
    await laptop.click('button:has-text("Log out everywhere")');
    await laptop.click('text=Yes, log out everywhere');
    await laptop.waitForSelector('header >> text=Log in');
    const started = Date.now();
    await phone.waitForSelector('header >> text=Log in', { timeout: 5000 });
    console.log(`[account] the other browser showed "Log in" ${Date.now() - started} ms after log-out-everywhere returned`);
    await phone.waitForSelector('text=Log in to pick seats');
    expect(await phone.isVisible('[role=gridcell]')).toBe(true);
    await phone.waitForSelector('text=You were signed out. Please log in again.');
    await phone.screenshot({ path: shot('signed-out-elsewhere-phone') });
    await expectAccessible(phone, 'seat map, signed out elsewhere (phone)');
    expect(await laptop.isVisible('.flash')).toBe(false); // who logged out on purpose is not told off
  });

  it('changing the password keeps this browser signed in and shows a confirmation', async () => {
    const u = await verified('changer');
    const page = await newPage();
    await signIn(page, h.url, u.email, u.password);
    await page.goto(`${h.url}/account`);
    await page.fill('#currentPassword', 'wrong guess here');
    await page.fill('#newPassword', 'saffron curtain 11');
    await page.click('button:has-text("Save new password")');
    await page.waitForSelector('#currentPassword-err');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('currentPassword');
    await expectAccessible(page, 'account, wrong current password');
    await page.fill('#currentPassword', u.password);
    await page.click('button:has-text("Save new password")');
    await page.waitForSelector('text=Password changed');
    await page.reload();
    await page.waitForSelector('[data-testid=account-link]');
  });
});

describe('email verification at checkout', () => {
  it('a new account may hold seats; checkout asks to confirm the email; after the link, the same checkout books', async () => {
    const page = await newPage();
    const email = `fresh-${Date.now()}@test.example`;
    await page.goto(`${h.url}/signup`);
    await page.fill('#name', 'Fresh');
    await page.fill('#email', email);
    await page.fill('#password', 'a-long-enough-password');
    await page.click('button[type=submit]');
    await page.waitForSelector(`text=We sent a link to ${email}`);
    await page.screenshot({ path: shot('signup-check-inbox') });
    await expectAccessible(page, 'home after sign-up, check your inbox');

    await page.goto(`${h.url}/shows/${showId}`);
    await page.waitForSelector('[role=gridcell]');
    const seat = await freeSeat(page);
    await page.click(`[data-seat="${seat}"]`);
    await page.waitForSelector(`[data-seat="${seat}"][data-state=mine]`);
    await page.click('text=Checkout');
    await page.waitForSelector('[data-testid=total]');
    await page.click('button.confirm');
    await page.waitForSelector('text=Confirm your email to book');
    await page.screenshot({ path: shot('checkout-verify-email'), fullPage: true });
    await expectAccessible(page, 'checkout, confirm your email first');

    const tab = await page.context().newPage();
    await tab.goto(await mailLink(email, 'account.verify-email', 'verify-email'));
    await tab.waitForSelector('[data-testid=verified]');
    await tab.screenshot({ path: shot('email-verified') });
    await expectAccessible(tab, 'email verified');

    await page.click('button.confirm');
    await page.waitForSelector('text=You are booked!');
  });
});
