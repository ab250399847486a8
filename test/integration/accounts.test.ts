/**
 * Accounts (hardening issue): email verification by a signed link sent through the
 * outbox (unverified accounts browse and hold but do not confirm, when required),
 * password reset by an emailed one-time link, password change. The links are read out of
 * the mails the real outbox wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { DEFAULT_LIMITS } from '../../server/app.js';
import type { MailMessage } from '../../server/ports.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, TestClock, waitFor, type Harness } from '../support/harness.js';

const clock = new TestClock();
let h: Harness;
let show: ShowFixture;
beforeAll(async () => {
  h = await startHarness({ clock, config: { requireVerifiedEmail: true, limits: { ...DEFAULT_LIMITS, authPerIp: null } } });
  show = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 6, perRow: 8 });
});
afterAll(() => h.close());

async function mailsTo(email: string): Promise<MailMessage[]> {
  await h.app.services.notifications.drain();
  return readdirSync(h.mailDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(h.mailDir, f), 'utf8')) as MailMessage & { sentAt: string })
    .filter((m) => m.to === email)
    .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
}
const linkIn = (m: MailMessage, page: string) => new RegExp(`http://localhost:3000/${page}\\?token=(\\S+)`).exec(m.text)?.[1];
const tokenOf = (link: string) => decodeURIComponent(link);

describe('email verification', () => {
  it('sign-up sends one mail with a link; unverified may hold but not confirm; the link verifies; then confirm works', async () => {
    const u = await h.register('unverified');
    const [mail, ...more] = await mailsTo(u.email);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ kind: 'account.verify-email', subject: 'Confirm your email for Movie Magic' });
    const token = tokenOf(linkIn(mail!, 'verify-email')!);
    expect((await call(h.url, 'GET', '/api/me', { token: u.token })).body.user.emailVerified).toBe(false);

    const s = await h.connect(u.token);
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'A2'] })).toMatchObject({ ok: true });
    const refused = await ack<Ack<object>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'verify-first-1' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'EMAIL_NOT_VERIFIED', message: expect.stringMatching(/confirm your email/) } });
    expect((await h.app.stores.bookings.listByUser(u.userId)).length).toBe(0);

    expect(await call(h.url, 'POST', '/api/auth/verify-email', { body: { token } })).toMatchObject({ status: 200, body: { verified: true } });
    expect((await call(h.url, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(200); // twice is harmless
    expect((await call(h.url, 'GET', '/api/me', { token: u.token })).body.user.emailVerified).toBe(true);
    // The socket's token still says "unverified"; the server asks the store rather than trust it.
    const booked = await ack<Ack<{ booking: { seats: string[] } }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'verify-first-1' });
    expect(booked).toMatchObject({ ok: true, booking: { seats: ['A1', 'A2'] } });
    // A refreshed token carries the news.
    const fresh = await call(h.url, 'POST', '/api/auth/refresh', { cookie: u.cookie });
    expect(fresh.body.user.emailVerified).toBe(true);
  });

  it('forged, altered and expired links are refused with VALIDATION and change nothing', async () => {
    const u = await h.register('linkcheck');
    const token = tokenOf(linkIn((await mailsTo(u.email))[0]!, 'verify-email')!);
    const [prefix, userId, exp, sig] = token.split('.');
    for (const bad of [
      `${prefix}.${userId}.${Number(exp) + 1000}.${sig}`, // longer life, same signature
      `${prefix}.u_someoneelse1234567890.${exp}.${sig}`,
      `MMP1.${userId}.${exp}.${sig}`, // a code of another kind
      'MMV1.not-a-code-at-all',
    ]) {
      const r = await call(h.url, 'POST', '/api/auth/verify-email', { body: { token: bad } });
      expect(r.status, bad).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'VALIDATION', details: [{ path: 'token' }] });
    }
    clock.advance(3 * 24 * 3600_000 + 1000);
    const late = await call(h.url, 'POST', '/api/auth/verify-email', { body: { token } });
    expect(late.body.error.message).toMatch(/expired/);
    expect((await h.app.stores.users.get(u.userId))?.emailVerified).toBe(false);
    clock.advance(-(3 * 24 * 3600_000 + 1000));
  });

  it('a new link can be asked for while signed in (a few per account), and it works', async () => {
    const u = await h.register('resend');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(h.url, 'POST', '/api/auth/resend-verification', { token: u.token })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await call(h.url, 'POST', '/api/auth/resend-verification')).status).toBe(401);
    const mails = await mailsTo(u.email);
    expect(mails.length).toBeGreaterThanOrEqual(2);
    const newest = tokenOf(linkIn(mails.at(-1)!, 'verify-email')!);
    expect((await call(h.url, 'POST', '/api/auth/verify-email', { body: { token: newest } })).status).toBe(200);
  });
});

describe('password reset', () => {
  it('answers the same for known and unknown addresses, and mails only the account holder', async () => {
    const u = await h.register('forgetful');
    const known = await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email } });
    const unknown = await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: 'nobody-here@test.example' } });
    expect(known).toMatchObject({ status: 202, body: { sent: true } });
    expect(unknown).toMatchObject({ status: 202, body: { sent: true } });
    expect((await mailsTo(u.email)).filter((m) => m.kind === 'account.password-reset')).toHaveLength(1);
    expect(await mailsTo('nobody-here@test.example')).toEqual([]);
  });

  it('the link sets a new password once, signs in, ends every other session and socket; the old password stops working', async () => {
    const u = await h.register('resetter');
    const other = await h.connect(u.token);
    const ended: unknown[] = [];
    other.on('session:ended', (m) => ended.push(m));
    await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email } });
    const token = tokenOf(linkIn((await mailsTo(u.email)).find((m) => m.kind === 'account.password-reset')!, 'reset-password')!);

    const weak = await call(h.url, 'POST', '/api/auth/reset-password', { body: { token, password: 'password123' } });
    expect(weak.body.error).toMatchObject({ code: 'VALIDATION', details: [{ path: 'password' }] });
    const done = await call(h.url, 'POST', '/api/auth/reset-password', { body: { token, password: 'new tamarind rain 7' } });
    expect(done.status).toBe(200);
    expect(done.body.user.emailVerified).toBe(true); // the link proved the address
    expect((await call(h.url, 'GET', '/api/me', { token: done.body.token })).status).toBe(200);
    expect((await call(h.url, 'POST', '/api/auth/refresh', { cookie: done.cookie! })).status).toBe(200);

    const again = await call(h.url, 'POST', '/api/auth/reset-password', { body: { token, password: 'another fine secret 8' } });
    expect(again.body.error.message).toMatch(/expired or was already used/);
    expect((await call(h.url, 'GET', '/api/me', { token: u.token })).status).toBe(401);
    expect((await call(h.url, 'POST', '/api/auth/refresh', { cookie: u.cookie })).status).toBe(401);
    await waitFor(() => ended.length > 0, 5000, 'old socket told');
    expect(ended).toEqual([{ reason: 'revoked' }]);
    expect((await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(401);
    expect((await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: 'new tamarind rain 7' } })).status).toBe(200);
    const notice = (await mailsTo(u.email)).find((m) => m.kind === 'account.password-changed');
    expect(notice?.text).toMatch(/every other device was signed out/);
  });

  it('a newer request replaces the older link; links expire after an hour', async () => {
    const u = await h.register('twice');
    const resetLinks = async () =>
      (await mailsTo(u.email)).filter((m) => m.kind === 'account.password-reset').map((m) => tokenOf(linkIn(m, 'reset-password')!));
    await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email } });
    const [older] = await resetLinks();
    await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email } });
    const links = await resetLinks();
    expect(links).toHaveLength(2);
    const newer = links.find((l) => l !== older);
    expect((await call(h.url, 'POST', '/api/auth/reset-password', { body: { token: older, password: 'first new secret 1' } })).status).toBe(400);
    clock.advance(60 * 60_000 + 1);
    expect((await call(h.url, 'POST', '/api/auth/reset-password', { body: { token: newer, password: 'first new secret 1' } })).status).toBe(400);
    clock.advance(-(60 * 60_000 + 1));
    expect((await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } })).status).toBe(200);
  });

  it('is limited per account and per address (429 with Retry-After); so are sign-ups of one address', async () => {
    const limited = await startHarness({ clock, config: { limits: DEFAULT_LIMITS } });
    try {
      const u = await limited.register('flood');
      const perAccount: number[] = [];
      for (let i = 0; i < 4; i++) {
        perAccount.push((await call(limited.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email }, headers: { 'x-forwarded-for': `10.1.0.${i}` } })).status);
      }
      expect(perAccount).toEqual([202, 202, 202, 429]);
      const perIp: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await call(limited.url, 'POST', '/api/auth/forgot-password', { body: { email: `someone-${i}@test.example` }, headers: { 'x-forwarded-for': '10.2.0.1' } });
        perIp.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(perIp.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      // Signing up one address again and again (each try would mail it, or probe it) is limited the same way.
      const signUps: number[] = [];
      for (let i = 0; i < 4; i++) {
        const body = { name: 'Again', email: 'again@test.example', password: 'correct horse battery' };
        signUps.push((await call(limited.url, 'POST', '/api/auth/register', { body, headers: { 'x-forwarded-for': `10.3.0.${i}` } })).status);
      }
      expect(signUps).toEqual([201, 409, 409, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('password change', () => {
  it('needs the current password; keeps this session, ends the others, and mails a notice', async () => {
    const u = await h.register('changer');
    const laptop = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    const wrong = await call(h.url, 'POST', '/api/auth/change-password', { token: u.token, body: { currentPassword: 'not it at all', newPassword: 'brand new secret 9' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([{ path: 'currentPassword', reason: 'wrong_password', message: 'is not your current password' }]);
    const weak = await call(h.url, 'POST', '/api/auth/change-password', { token: u.token, body: { currentPassword: u.password, newPassword: 'qwerty123' } });
    expect(weak.body.error.details[0].path).toBe('newPassword');
    expect((await call(h.url, 'POST', '/api/auth/change-password', { body: { currentPassword: u.password, newPassword: 'brand new secret 9' } })).status).toBe(401);

    const ok = await call(h.url, 'POST', '/api/auth/change-password', { token: u.token, cookie: u.cookie, body: { currentPassword: u.password, newPassword: 'brand new secret 9' } });
    expect(ok.status).toBe(200);
    expect((await call(h.url, 'GET', '/api/me', { token: ok.body.token })).status).toBe(200);
    expect((await call(h.url, 'POST', '/api/auth/refresh', { cookie: ok.cookie! })).status).toBe(200);
    for (const t of [u.token, laptop.body.token]) expect((await call(h.url, 'GET', '/api/me', { token: t })).status).toBe(401);
    for (const c of [u.cookie, laptop.cookie!]) expect((await call(h.url, 'POST', '/api/auth/refresh', { cookie: c })).status).toBe(401);
    expect((await mailsTo(u.email)).filter((m) => m.kind === 'account.password-changed')).toHaveLength(1);
  });

  it('guessing the current password is limited like a log-in', async () => {
    const limited = await startHarness({ clock, config: { limits: DEFAULT_LIMITS } });
    try {
      const u = await limited.register('guessed');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push((await call(limited.url, 'POST', '/api/auth/change-password', { token: u.token, body: { currentPassword: `guess ${i}`, newPassword: 'brand new secret 9' } })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
