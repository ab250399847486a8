/**
 * Sessions (hardening issue): short-lived access tokens, rotating refresh tokens in an
 * httpOnly cookie with reuse detection, log-out here and everywhere, sockets told when
 * their session expires or ends and renewed in place, and a cap on sockets per user.
 * Real server, DynamoDB Local and socket.io-client throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, SessionEnded } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, TestClock, waitFor, type ClientSocket, type Harness } from '../support/harness.js';

const clock = new TestClock();
let h: Harness;
let show: ShowFixture;
beforeAll(async () => {
  h = await startHarness({ clock, config: { accessTokenSeconds: 900, maxSocketsPerUser: 3 } });
  show = await createShow(h.app.stores.catalog, { now: clock.now(), rows: 6, perRow: 8 });
});
afterAll(() => h.close());

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const refresh = (cookie: string) => call(h.url, 'POST', '/api/auth/refresh', { cookie });
const me = (token: string) => call(h.url, 'GET', '/api/me', { token });
const hold = (s: ClientSocket, seatIds: string[]) => ack<Ack<object>>(s, 'seat:hold', { showId: show.showId, seatIds });
function endings(s: ClientSocket): SessionEnded[] {
  const seen: SessionEnded[] = [];
  s.on('session:ended', (m) => seen.push(m));
  return seen;
}

describe('log-in and refresh', () => {
  it('sets an httpOnly, Secure, SameSite=Strict refresh cookie scoped to /api/auth; the access token lives 15 minutes', async () => {
    const u = await h.register('cookie');
    const res = await fetch(`${h.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('mm_refresh='))!;
    expect(set).toMatch(/; HttpOnly/i);
    expect(set).toMatch(/; Secure/i);
    expect(set).toMatch(/; SameSite=Strict/i);
    expect(set).toMatch(/; Path=\/api\/auth/);
    expect(set).toMatch(/Max-Age=2592000/); // 30 days
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { token: string; expiresAt: string; user: { emailVerified: boolean } };
    const c = claims(body.token);
    expect((c.exp as number) - (c.iat as number)).toBe(900);
    expect(Date.parse(body.expiresAt)).toBe((c.exp as number) * 1000);
    expect(body).not.toHaveProperty('refresh');
    expect(JSON.stringify(body)).not.toContain(set.split(';')[0]!.slice('mm_refresh='.length));
  });

  it('rotates: each refresh gives a new access token and a new cookie; an expired access token is refused', async () => {
    const u = await h.register('rotate');
    clock.advance(60_000);
    const r1 = await refresh(u.cookie);
    expect(r1.status).toBe(200);
    expect(r1.cookie).toBeTruthy();
    expect(r1.cookie).not.toBe(u.cookie);
    expect(claims(r1.body.token).exp).toBe((claims(u.token).exp as number) + 60);
    const r2 = await refresh(r1.cookie!);
    expect(r2.status).toBe(200);
    clock.advance(15 * 60_000 + 1000);
    expect((await me(r2.body.token)).status).toBe(401);
    const r3 = await refresh(r2.cookie!); // the refresh token outlives the access token
    expect(r3.status).toBe(200);
    expect((await me(r3.body.token)).status).toBe(200);
  });

  it('without a cookie, or with a forged one, refresh answers 401 and clears the cookie', async () => {
    expect((await refresh('')).status).toBe(401);
    const u = await h.register('forge');
    const forged = u.cookie.replace(/\.(\d+)\./, (_m, n: string) => `.${Number(n) + 1}.`);
    const r = await refresh(forged);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('UNAUTHENTICATED');
    expect(r.cookie).toBe('');
    expect((await refresh(u.cookie)).status).toBe(200); // the genuine one was not harmed
  });

  it('a reused refresh token revokes the whole family: thief and owner are both signed out, at once', async () => {
    const u = await h.register('victim');
    const stolen = u.cookie;
    const owner = await refresh(stolen); // the owner moves on to the next token
    expect(owner.status).toBe(200);
    const socket = await h.connect(owner.body.token);
    const ended = endings(socket);
    expect(await hold(socket, ['A1'])).toMatchObject({ ok: true });

    const thief = await refresh(stolen); // replay of a token already traded
    expect(thief.status).toBe(401);
    expect(thief.body.error.message).toMatch(/old sign-in token was used again/);
    expect((await refresh(owner.cookie!)).status).toBe(401);
    expect((await me(owner.body.token)).status).toBe(401); // the family's access tokens die with it
    await waitFor(() => ended.length > 0, 5000, 'session:ended');
    expect(ended).toEqual([{ reason: 'revoked' }]);
    expect(await hold(socket, ['A2'])).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await ack<Ack<object>>(socket, 'show:join', { showId: show.showId })).toMatchObject({ ok: true }); // still watching
    // Logging in again starts a fresh family.
    const again = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    expect((await refresh(again.cookie!)).status).toBe(200);
  });

  it('two refreshes racing with the same token: one wins, and the loser counts as reuse', async () => {
    const u = await h.register('race');
    const [a, b] = await Promise.all([refresh(u.cookie), refresh(u.cookie)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect((await refresh(winner.cookie!)).status).toBe(401); // the family was revoked by the loser's replay
  });
});

describe('log-out', () => {
  it('here: this session ends (cookie cleared, refresh and access refused); another device stays signed in', async () => {
    const u = await h.register('leaver');
    const other = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    const out = await call(h.url, 'POST', '/api/auth/logout', { cookie: u.cookie, token: u.token });
    expect(out.status).toBe(204);
    expect(out.cookie).toBe('');
    expect((await refresh(u.cookie)).status).toBe(401);
    expect((await me(u.token)).status).toBe(401);
    expect((await me(other.body.token)).status).toBe(200);
    expect((await refresh(other.cookie!)).status).toBe(200);
    expect((await call(h.url, 'POST', '/api/auth/logout', { cookie: u.cookie })).status).toBe(204); // twice is harmless
  });

  it('everywhere: every session and socket of the user ends, on every device; other users are untouched', async () => {
    const u = await h.register('everywhere');
    const phone = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: u.password } });
    const bystander = await h.register('bystander');
    const [s1, s2, s3] = await Promise.all([h.connect(u.token), h.connect(phone.body.token), h.connect(bystander.token)]);
    const [e1, e2, e3] = [endings(s1), endings(s2), endings(s3)];
    expect(await hold(s2, ['B1'])).toMatchObject({ ok: true });

    expect((await call(h.url, 'POST', '/api/auth/logout-all', { token: u.token, cookie: u.cookie })).status).toBe(204);
    await waitFor(() => e1.length > 0 && e2.length > 0, 5000, 'both sockets told');
    expect([...e1, ...e2]).toEqual([{ reason: 'revoked' }, { reason: 'revoked' }]);
    for (const s of [s1, s2]) expect(await hold(s, ['B3'])).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    for (const t of [u.token, phone.body.token]) expect((await me(t)).status).toBe(401);
    for (const c of [u.cookie, phone.cookie!]) expect((await refresh(c)).status).toBe(401);
    await expect(h.connect(phone.body.token)).rejects.toThrow('UNAUTHENTICATED');
    expect(e3).toEqual([]);
    expect(await hold(s3, ['B4'])).toMatchObject({ ok: true });
    // The held seat is not lost by signing out: it stays held until it expires or is released.
    const map = (await call(h.url, 'GET', `/api/shows/${show.showId}/seats`)).body as { seats: { id: string; status: string }[] };
    expect(map.seats.find((s) => s.id === 'B1')?.status).toBe('held');
  });
});

describe('sockets', () => {
  it('a socket whose token expires is told so and can renew in place: same rooms, same holds, no reconnect', async () => {
    const short = await startHarness({ config: { accessTokenSeconds: 2 } });
    try {
      const fixture = await createShow(short.app.stores.catalog, { now: short.clock.now(), rows: 4, perRow: 4 });
      const u = await short.register('short');
      const s = await short.connect(u.token);
      const ended = endings(s);
      const seen: unknown[] = [];
      s.on('seats:changed', (m) => seen.push(m));
      expect(await ack<Ack<{ snapshot: unknown }>>(s, 'show:join', { showId: fixture.showId })).toMatchObject({ ok: true });
      expect(await ack<Ack<object>>(s, 'seat:hold', { showId: fixture.showId, seatIds: ['A1'] })).toMatchObject({ ok: true });

      // The server pushes the news when the token runs out (no request needed to find out).
      await waitFor(() => ended.length > 0, 5000, 'session:ended at expiry');
      expect(ended).toEqual([{ reason: 'expired' }]);
      expect(await ack<Ack<object>>(s, 'seat:hold', { showId: fixture.showId, seatIds: ['A2'] })).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });

      const fresh = await call(short.url, 'POST', '/api/auth/refresh', { cookie: u.cookie });
      const renewed = await ack<Ack<{ expiresAt: string }>>(s, 'session:renew', { token: fresh.body.token });
      expect(renewed).toMatchObject({ ok: true, expiresAt: fresh.body.expiresAt });
      expect(s.connected).toBe(true);
      const before = seen.length;
      expect(await ack<Ack<object>>(s, 'seat:hold', { showId: fixture.showId, seatIds: ['A2'] })).toMatchObject({ ok: true });
      await waitFor(() => seen.length > before, 5000, 'broadcast still reaches the renewed socket');
      const r = await ack<Ack<{ released: string[] }>>(s, 'seat:release', { showId: fixture.showId, seatIds: ['A1', 'A2'] });
      expect(r).toMatchObject({ ok: true, released: ['A1', 'A2'] }); // the hold from before expiry is still this user's
      // A bad token does not renew, and changes nothing.
      expect(await ack<Ack<object>>(s, 'session:renew', { token: `${fresh.body.token}x` })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    } finally {
      await short.close();
    }
  });

  it('at most N sockets per user: the next connection is refused with RATE_LIMITED, and frees up when one closes', async () => {
    const u = await h.register('tabs');
    const sockets = await Promise.all([h.connect(u.token), h.connect(u.token), h.connect(u.token)]);
    const refused = await h.connect(u.token).then(
      () => null,
      (err: Error & { data?: { code: string; message: string } }) => err,
    );
    expect(refused?.message).toBe('RATE_LIMITED');
    expect(refused?.data?.message).toMatch(/at most 3/);
    // Anonymous watching and other users are not affected.
    await h.connect();
    await h.connect((await h.register('neighbour')).token);
    sockets[0]!.disconnect();
    await waitFor(() => true, 200);
    await expect(
      (async () => {
        for (let i = 0; i < 20; i++) {
          try {
            return await h.connect(u.token);
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        throw new Error('still refused');
      })(),
    ).resolves.toBeTruthy();
  });

  it('a burst of simultaneous connections for one account cannot slip past the cap', async () => {
    const u = await h.register('burst');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.connect(u.token).then(
          () => 'connected',
          (err: Error) => err.message,
        ),
      ),
    );
    expect(results.filter((r) => r === 'connected')).toHaveLength(3);
    expect(results.filter((r) => r === 'RATE_LIMITED')).toHaveLength(5);
  });
});
