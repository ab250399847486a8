/**
 * Issue 17 in Chromium: a viewer (a confirmed booking of a show that has ended) reviews RRR
 * and the page shows the HTML and script in the text as text; a second user marks it
 * helpful (once); the list sorts newest first on request; a user who has not seen the movie
 * is told kindly that only viewers can review; home cards show the rating. Screenshots of
 * the movie page with reviews on a laptop and a 360 px phone in en, hi and te:
 * test/artifacts/reviews-<lang>-<size>.png (and -section.png), each passing axe.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { expectAccessible, launchBrowser, shot, signIn } from '../support/browser.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

const clientDir = fileURLToPath(new URL('../../client/dist', import.meta.url));
const sizes = { laptop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;
const XSS = '<script>window.__xss = 1</script><b>bold</b>';

type User = Awaited<ReturnType<Harness['register']>>;
let h: Harness;
let browser: Browser;
let asha: User;
let bala: User;
let ravi: User;
let meena: User;
let kiran: User;
let seatNo = 0;

const http = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

/** Signs up a user with a confirmed seat at RRR in a show an hour from now (the clock is moved past its end later). */
async function viewer(name: string, show: { showId: string }): Promise<User> {
  const u = await h.register(name);
  const s = await h.connect(u.token);
  const seat = `A${++seatNo}`;
  expect(await ack<Ack>(s, 'seat:hold', { showId: show.showId, seatIds: [seat] })).toMatchObject({ ok: true });
  const booked = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: `e2e-review-${name}` });
  if (!booked.ok) throw new Error(JSON.stringify(booked));
  s.disconnect();
  return u;
}

beforeAll(async () => {
  // The clock moves past the show's end (hours): sign-ins must outlast it.
  h = await startHarness({ demoData: true, config: { clientDir, accessTokenSeconds: 20 * 86_400 } });
  browser = await launchBrowser();
  const fixture = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 3, perRow: 6, startsInMs: 3600_000 });
  await h.app.stores.catalog.putShows([{ ...fixture.show, movieId: 'rrr' }]);
  asha = await viewer('Asha', fixture);
  ravi = await viewer('Ravi', fixture);
  meena = await viewer('Meena', fixture);
  kiran = await viewer('Kiran', fixture);
  bala = await h.register('Bala'); // signed up, never saw it
  h.clock.advance(6 * 3600_000); // the show (1 h from now, about 3 h long) is over

  // A few reviews first, so the section looks as it will in real life.
  const seeded: [User, number, string][] = [
    [ravi, 5, 'The interval block alone is worth the ticket.\nWatch it on the biggest screen you can find.'],
    [meena, 4, 'Loud, long and joyful. The songs stay with you.'],
    [kiran, 3, ''],
  ];
  for (const [u, rating, text] of seeded) {
    expect((await http('POST', '/api/movies/rrr/reviews', u.token, { rating, text })).status).toBe(201);
    h.clock.advance(60_000);
  }
  for (const u of [meena, kiran]) expect((await http('POST', `/api/movies/rrr/reviews/${ravi.userId}/helpful`, u.token)).status).toBe(200);
  h.clock.advance(60_000);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newPage(lang = 'en', size: keyof typeof sizes = 'laptop'): Promise<Page> {
  const context = await browser.newContext({ viewport: sizes[size] });
  await context.addInitScript((l) => {
    localStorage.setItem('mm.locale', l);
    localStorage.setItem('mm.city', 'hyderabad');
  }, lang);
  return context.newPage();
}

const reviewOf = (page: Page, user: User) => page.locator(`[data-testid=review][data-author="${user.userId}"]`);
const authors = (page: Page) => page.$$eval('[data-testid=review]', (li) => li.map((x) => x.getAttribute('data-author')));

describe('reviews on the movie page', () => {
  it('a viewer picks 4 stars with the keyboard and posts HTML and script: the page shows them as text, no <b> element, no script run', async () => {
    const page = await newPage();
    await signIn(page, h.url, asha.email, asha.password);
    await page.goto(`${h.url}/movies/rrr`);
    await page.getByRole('heading', { name: 'Write a review' }).waitFor();
    const stars = page.getByRole('group', { name: 'Your rating' });
    await stars.getByRole('radio', { name: '2 stars' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await stars.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true);
    const box = page.getByLabel('Your review (optional)');
    await box.fill(XSS);
    expect(await page.textContent('#review-chars')).toBe(`${XSS.length} of 2,000 characters`);
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you! Your review is up.' }).waitFor();

    const mine = reviewOf(page, asha);
    await mine.waitFor();
    expect(await mine.locator('[data-testid=review-text]').textContent()).toBe(XSS);
    expect(await mine.locator('b, script').count(), 'no element from the text').toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await mine.textContent()).toContain('Asha');
    expect(await mine.getByTestId('helpful').count(), 'no helpful button on one’s own review').toBe(0);
    // Now the form edits it.
    await page.getByRole('heading', { name: 'Edit your review' }).waitFor();
    expect(await box.inputValue()).toBe(XSS);
    expect(await page.getByTestId('average').textContent()).toBe('4.0 out of 5');
    expect(await page.getByTestId('count').textContent()).toBe('4 reviews');
    expect(await page.locator('.bars li[data-stars="4"]').textContent()).toContain('2');
    await expectAccessible(page, 'movie page after posting a review (en, laptop)');
    await page.context().close();
  });

  it('a second reader marks it helpful once (Helpful (1), pressed, disabled), and Newest puts it first', async () => {
    const page = await newPage();
    await signIn(page, h.url, bala.email, bala.password);
    await page.goto(`${h.url}/movies/rrr`);
    const theirs = reviewOf(page, asha);
    await theirs.waitFor();
    expect((await authors(page))[0], 'most helpful first: Ravi has 2 marks').toBe(ravi.userId);
    const button = theirs.getByTestId('helpful');
    expect(await button.textContent()).toContain('Helpful (0)');
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
    expect(await button.textContent()).toContain('Helpful (1)');
    expect(await button.isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Newest' }).click();
    await expect.poll(() => authors(page).then((a) => a[0])).toBe(asha.userId);
    expect(await page.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await reviewOf(page, asha).waitFor();
    expect(await reviewOf(page, asha).getByTestId('helpful').getAttribute('aria-pressed'), 'still marked after a reload').toBe('true');
    await page.context().close();
  });

  it('someone who has not seen the movie is told kindly that only viewers can review, and nothing is added', async () => {
    const page = await newPage();
    await signIn(page, h.url, bala.email, bala.password);
    await page.goto(`${h.url}/movies/rrr`);
    await page.getByRole('heading', { name: 'Write a review' }).waitFor();
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.getByRole('alert').filter({ hasText: 'Choose a rating from 1 to 5 stars.' }).waitFor(); // a rating is needed first
    // A tap on the fifth star (its radio button is inside it, visually hidden).
    await page.getByRole('group', { name: 'Your rating' }).locator('label').nth(4).click();
    expect(await page.getByRole('radio', { name: '5 stars' }).isChecked()).toBe(true);
    await page.getByLabel('Your review (optional)').fill('Heard it was great');
    await page.getByRole('button', { name: 'Post review' }).click();
    const note = page.getByTestId('not-attended');
    await note.waitFor();
    expect(await note.textContent()).toContain('Thanks for wanting to share your view! Only people who have seen this movie with a Movie Magic ticket can review it');
    expect(await note.getAttribute('class')).not.toContain('error');
    expect(await page.getByTestId('count').textContent()).toBe('4 reviews');
    await page.context().close();
  });

  it('home cards show the rating from one GET /api/ratings: "★ 4.0 (4)" on RRR', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('request', (r) => void (r.url().includes('/api/ratings') && asked.push(r.url())));
    const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
    await page.goto(`${h.url}/?date=${tomorrow}`);
    const card = page.locator('.cards li', { has: page.locator('a[href^="/movies/rrr?"]') });
    await card.getByTestId('card-rating').waitFor();
    expect(await card.getByTestId('card-rating').textContent()).toContain('★ 4.0 (4)');
    expect(await card.getByTestId('card-rating').textContent()).toContain('Rated 4.0 out of 5 by 4 viewers');
    expect(asked).toHaveLength(1);
    await card.screenshot({ path: shot('reviews-en-laptop-card') });
    await page.context().close();
  });

  // Signed in as a different viewer per language: logins are limited per account.
  const readers = { en: () => meena, hi: () => kiran, te: () => ravi };
  describe.each(['en', 'hi', 'te'] as const)('in %s', (lang) => {
    it.each(Object.keys(sizes) as (keyof typeof sizes)[])('on a %s: the movie page with reviews, no sideways scroll, passes axe (screenshots)', async (size) => {
      const page = await newPage(lang, size);
      const reader = readers[lang]();
      await signIn(page, h.url, reader.email, reader.password);
      await page.goto(`${h.url}/movies/rrr`);
      await page.locator('[data-testid=review]').nth(3).waitFor();
      await page.locator('[data-testid=rating-summary]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll').toBe(true);
      const section = page.getByTestId('reviews');
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`reviews-${lang}-${size}`), fullPage: true });
      await section.screenshot({ path: shot(`reviews-${lang}-${size}-section`) });
      await expectAccessible(page, `movie page with reviews (${lang}, ${size})`);
      await page.context().close();
    });
  });

  it('staff hide a review after giving a reason: it leaves the list and the count', async () => {
    const email = `review-staff-${Math.random().toString(36).slice(2)}@test.example`;
    const password = 'correct horse battery';
    const staff = await h.app.services.auth.register({ name: 'Sam', email, password }, 'staff', ['test-theatre']);
    if (!staff.ok) throw new Error('staff sign-up failed');
    const page = await newPage('en', 'phone');
    await signIn(page, h.url, email, password);
    await page.goto(`${h.url}/movies/rrr`);
    const kirans = reviewOf(page, kiran);
    await kirans.getByRole('button', { name: 'Hide' }).click();
    await kirans.getByLabel('Why hide this review? (kept in the log)').fill('Off topic');
    await expectAccessible(page, 'hiding a review (en, phone)');
    await kirans.getByRole('button', { name: 'Hide review' }).click();
    await expect.poll(() => kirans.count()).toBe(0);
    expect(await page.getByTestId('count').textContent()).toBe('3 reviews');
    await page.context().close();
  });
});
