/** Abuse limits and token handling (part of the hardening issue). */
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { DEFAULT_LIMITS } from '../../server/app.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, TestClock, type Harness } from '../support/harness.js';

const clock = new TestClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ clock, config: { limits: DEFAULT_LIMITS } });
});
afterAll(() => h.close());

const postTo = (url: string, path: string, body: unknown, ip?: string) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify(body),
  });
const post = (path: string, body: unknown, ip?: string) => postTo(h.url, path, body, ip);

describe('login brute force', () => {
  /** Eight wrong guesses at one account from eight addresses (the per-IP limit is not what stops this one). */
  async function guess(url: string, email: string) {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await postTo(url, '/api/auth/login', { email, password: `guess-${i}-xxxx` }, `10.0.0.${i + 1}`)).status);
    return statuses;
  }

  it('is slowed to the configured rate per account, with Retry-After, and recovers with time', async () => {
    const email = `victim-${Math.random().toString(36).slice(2)}@test.example`;
    const r = await h.app.services.auth.register({ name: 'Victim', email, password: 'correct horse battery' });
    expect(r.ok).toBe(true);
    const statuses = await guess(h.url, email);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await post('/api/auth/login', { email, password: 'correct horse battery' }, '10.0.1.1');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300); // the default: 5 tries, then 1 a minute = 5 per 5 minutes
    expect(((await limited.json()) as { error: unknown }).error).toMatchObject({ code: 'RATE_LIMITED', params: { retryAfterSeconds: retryAfter } });

    // Limits count real time (not the test clock): recovery is shown with the same burst over a window of seconds.
    const quick = await startHarness({ config: { limits: { ...DEFAULT_LIMITS, loginPerAccount: { burst: 5, perSecond: 0.5 } } } });
    try {
      const u = await quick.register('victim');
      const again = await guess(quick.url, u.email);
      expect(again).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const refused = await postTo(quick.url, '/api/auth/login', { email: u.email, password: u.password }, '10.0.1.1');
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(10);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100)); // as long as Retry-After said
      expect((await postTo(quick.url, '/api/auth/login', { email: u.email, password: u.password }, '10.0.1.2')).status).toBe(200);
    } finally {
      await quick.close();
    }
  });

  it('sign-ups from one address are limited too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await post('/api/auth/register', { name: 'Bot', email: `bot-${i}-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, '10.9.9.9')).status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('seat event spam', () => {
  it('a socket spamming seat:hold gets RATE_LIMITED; another user is unaffected', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 10, perRow: 10 });
    const spammer = await h.register('spam');
    const polite = await h.register('polite');
    const [s1, s2] = await Promise.all([h.connect(spammer.token), h.connect(polite.token)]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => ack<Ack<object>>(s1, i % 2 ? 'seat:release' : 'seat:hold', { showId: show.showId, seatIds: ['A1'] })),
    );
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    expect(limited).toBe(20);
    expect(await ack<Ack<object>>(s2, 'seat:hold', { showId: show.showId, seatIds: ['J9'] })).toMatchObject({ ok: true });
  });
});

describe('tokens', () => {
  it('a tampered token, an alg:none token and one signed with another secret are refused', async () => {
    const u = await h.register('tok');
    const [head, body, sig] = u.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${forgedBody}.`;
    const other = jwt.sign({ ...claims, role: 'admin' }, 'some-other-secret-that-is-long-enough');
    for (const token of [`${head}.${forgedBody}.${sig}`, none, other, `${u.token}x`]) {
      const res = await fetch(`${h.url}/api/staff/theatres`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, token.slice(0, 20)).toBe(401);
      await expect(h.connect(token)).rejects.toThrow('UNAUTHENTICATED');
    }
    expect((await fetch(`${h.url}/api/me`, { headers: { authorization: `Bearer ${u.token}` } })).status).toBe(200);
  });
});

describe('socket sessions', () => {
  it('a socket whose token expires is asked to log in again, not silently trusted', async () => {
    const show = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 4, perRow: 4 });
    const u = await h.register('expiring');
    const s = await h.connect(u.token);
    expect(await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1'] })).toMatchObject({ ok: true });
    clock.advance(3600_000 + 1000); // the harness issues one-hour tokens
    const late = await ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A2'] });
    expect(late).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/expired/) } });
    // Watching still works, as an anonymous watcher.
    expect(await ack<Ack<object>>(s, 'show:join', { showId: show.showId })).toMatchObject({ ok: true });
    clock.advance(-(3600_000 + 1000));
  });
});

describe('password rules', () => {
  it('refuse common passwords, ones containing the email name, and too few characters, with field details', async () => {
    for (const [password, reason] of [
      ['password123', /most common/],
      ['moviemagic', /most common/],
      ['priya-secret-99', /email name/],
      ['aaaabbbb', /4 different/],
      ['é'.repeat(40), /72 bytes/],
    ] as const) {
      const res = await post('/api/auth/register', { name: 'P', email: 'priya@test.example', password }, `10.7.${Math.floor(Math.random() * 200)}.1`);
      const body = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
      expect(res.status, password).toBe(400);
      expect(body.error.code).toBe('VALIDATION');
      expect(body.error.message).toMatch(reason);
      expect(body.error.details[0]!.path).toBe('password');
    }
    const ok = await post('/api/auth/register', { name: 'P', email: `ok-${Math.random().toString(36).slice(2)}@test.example`, password: 'tamarind-rain-42' }, '10.7.250.1');
    expect(ok.status).toBe(201);
  });
});
