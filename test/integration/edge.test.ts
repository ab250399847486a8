/**
 * The HTTP and socket edge (hardening issue): security headers and CSP, CORS for
 * configured origins only (cross-site writes and sockets refused), payload size limits,
 * and JSON logs with request ids that never contain a password, token or cookie.
 */
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, type Harness } from '../support/harness.js';

const ALLOWED = 'https://partner.example';
const logLines: Record<string, unknown>[] = [];
const logText: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      logText.push(line);
      logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let h: Harness;
let show: ShowFixture;
beforeAll(async () => {
  h = await startHarness({
    logger: pino({ level: 'debug' }, sink),
    config: { corsOrigins: [ALLOWED], clientDir: fileURLToPath(new URL('../../client/dist', import.meta.url)) },
  });
  show = await createShow(h.app.stores.catalog, { now: h.clock.now() });
});
afterAll(() => h.close());

describe('headers', () => {
  it('pages carry helmet headers and a strict CSP (no inline or foreign scripts, no framing)', async () => {
    const res = await fetch(`${h.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "connect-src 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('origins', () => {
  it('a configured origin gets CORS headers with credentials, and its preflight is answered', async () => {
    const pre = await fetch(`${h.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const get = await fetch(`${h.url}/api/cities`, { headers: { origin: ALLOWED } });
    expect(get.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(get.headers.get('vary')).toMatch(/Origin/);
  });

  it('another origin reads nothing (no CORS headers) and may not write: POSTs are refused before they run', async () => {
    const evil = 'https://evil.example';
    const get = await fetch(`${h.url}/api/cities`, { headers: { origin: evil } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const u = await h.register('csrf');
    const before = await h.app.stores.users.get(u.userId);
    for (const path of ['/api/auth/logout-all', '/api/auth/refresh', '/api/auth/logout']) {
      const r = await call(h.url, 'POST', path, { token: u.token, cookie: u.cookie, headers: { origin: evil } });
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    expect(await h.app.stores.users.get(u.userId)).toEqual(before);
    expect((await call(h.url, 'POST', '/api/auth/refresh', { cookie: u.cookie })).status).toBe(200); // the session survived
    // Our own pages (same origin) are fine.
    expect((await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email }, headers: { origin: h.url } })).status).toBe(202);
  });

  it('sockets from another origin are refused; from ours and from configured ones they connect', async () => {
    const tryOrigin = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = connect(h.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin } });
        s.once('connect', () => (s.disconnect(), resolve('connected')));
        s.once('connect_error', (err) => (s.disconnect(), resolve(err.message)));
      });
    expect(await tryOrigin('https://evil.example')).toBe('FORBIDDEN');
    expect(await tryOrigin(ALLOWED)).toBe('connected');
    expect(await tryOrigin(h.url)).toBe('connected');
  });
});

describe('payload limits', () => {
  it('an HTTP body over 16 kB is refused with VALIDATION; the server carries on', async () => {
    const r = await call(h.url, 'POST', '/api/auth/login', { body: { email: 'a@b.example', password: 'x'.repeat(20_000) } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION', message: 'The body is too large.' });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('a socket message over 16 kB closes that socket only; others carry on', async () => {
    const u = await h.register('big');
    const [big, other] = await Promise.all([h.connect(u.token), h.connect()]);
    const closed = new Promise<string>((r) => big.once('disconnect', (reason) => r(reason)));
    (big as unknown as { emit(e: string, p: unknown, cb: () => void): void }).emit('seat:hold', { showId: show.showId, seatIds: ['A1'], pad: 'x'.repeat(20_000) }, () => undefined);
    expect(await closed).toBe('transport close');
    expect(await ack<Ack<object>>(other, 'show:join', { showId: show.showId })).toMatchObject({ ok: true });
    expect((await h.app.stores.seats.seats(show.showId)).length).toBe(0);
  });
});

describe('logs', () => {
  it('every request is logged once as JSON with a request id (echoed, or taken from a sane x-request-id); no secret ever appears', async () => {
    const u = await h.register('logged');
    const r = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password }, headers: { 'x-request-id': 'lb-1234' } });
    expect(r.headers.get('x-request-id')).toBe('lb-1234');
    await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: 'a wrong password' } });
    const refreshed = await call(h.url, 'POST', '/api/auth/refresh', { cookie: r.cookie! });
    // A second device of the same user, whose refresh token is then replayed: a security event in the log.
    const other = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    await call(h.url, 'POST', '/api/auth/refresh', { cookie: other.cookie! });
    await call(h.url, 'POST', '/api/auth/refresh', { cookie: other.cookie! });
    const odd = await call(h.url, 'GET', '/api/cities', { headers: { 'x-request-id': 'bad id <script> with spaces' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await call(h.url, 'POST', '/api/auth/forgot-password', { body: { email: u.email } });
    await h.app.services.notifications.drain();
    const s = await h.connect(refreshed.body.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['C1'] });
    await call(h.url, 'POST', '/api/auth/change-password', { token: refreshed.body.token, body: { currentPassword: u.password, newPassword: 'a fresh new secret 5' } });

    expect(logLines.find((l) => String(l.msg).includes('refresh token was used again'))).toMatchObject({ level: 40, userId: u.userId });
    const requests = logLines.filter((l) => l.msg === 'request');
    const login = requests.find((l) => l.reqId === 'lb-1234');
    expect(login).toMatchObject({ method: 'POST', path: '/api/auth/login', status: 200, level: 30 });
    expect(typeof login!.ms).toBe('number');
    expect(requests.every((l) => typeof l.reqId === 'string')).toBe(true);
    expect(requests.some((l) => l.path === '/api/auth/login' && l.status === 401)).toBe(true);

    const secrets = [u.password, 'a wrong password', 'a fresh new secret 5', u.token, r.body.token, refreshed.body.token, u.cookie.split('=')[1]!, r.cookie!.split('=')[1]!, other.cookie!.split('=')[1]!];
    const resetMail = (await import('node:fs')).readdirSync(h.mailDir).find((f) => f.startsWith('account.password-reset'));
    expect(resetMail).toBeTruthy();
    const leaks = secrets.filter((secret) => logText.some((line) => line.includes(secret)));
    expect(leaks).toEqual([]);
    expect(logText.some((line) => /MMP1\.|MMR1\.|MMV1\./.test(line))).toBe(false); // no emailed or refresh code either
  });
});
