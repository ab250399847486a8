/**
 * The authorization table: every HTTP route and socket event, asked with no token, the
 * owner's customer token, another customer's token, a staff token of another theatre
 * and a staff token of the show's theatre. Each answer is checked against the table.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';

type Who = 'none' | 'owner' | 'other' | 'staffB' | 'staffA';
const WHO: Who[] = ['none', 'owner', 'other', 'staffB', 'staffA'];
let h: Harness;
let show: ShowFixture;
let booking: Booking;
const tokens = {} as Record<Who, string | undefined>;

async function staff(theatres: string[]) {
  const r = await h.app.services.auth.register({ name: 'S', email: `s-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, 'staff', theatres);
  if (!r.ok) throw new Error('staff');
  return r.value.token;
}

beforeAll(async () => {
  h = await startHarness();
  await h.app.stores.catalog.putTheatres([{ id: 'theatre-b', name: 'B', address: 'B Road', cityId: 'testville', timeZone: 'Asia/Kolkata' }]);
  show = await createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 5 * 24 * 3600_000 });
  const owner = await h.register('owner');
  const s = await h.connect(owner.token);
  await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['A1'] });
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'authz-booking-1' });
  if (!r.ok) throw new Error('confirm');
  booking = r.booking;
  tokens.none = undefined;
  tokens.owner = owner.token;
  tokens.other = (await h.register('other')).token;
  tokens.staffB = await staff(['theatre-b']);
  tokens.staffA = await staff(['test-theatre']);
});
afterAll(() => h.close());

it('every socket event answers each kind of caller as the table says', async () => {
  const other = await createShow(h.app.stores.catalog, { now: h.clock.now() });
  const owner = await h.connect(tokens.owner);
  expect(await ack<Ack<object>>(owner, 'seat:hold', { showId: other.showId, seatIds: ['B1'] })).toMatchObject({ ok: true });
  const events: [string, unknown, Record<'none' | 'other', string>][] = [
    ['show:join', { showId: other.showId }, { none: 'ok', other: 'ok' }],
    ['show:leave', { showId: other.showId }, { none: 'ok', other: 'ok' }],
    ['seat:hold', { showId: other.showId, seatIds: ['B1'] }, { none: 'UNAUTHENTICATED', other: 'SEAT_TAKEN' }],
    // Releasing someone else's seat is not an error, and never touches their hold.
    ['seat:release', { showId: other.showId, seatIds: ['B1'] }, { none: 'UNAUTHENTICATED', other: 'ok' }],
    ['booking:confirm', { showId: other.showId, idempotencyKey: 'authz-steal-1' }, { none: 'UNAUTHENTICATED', other: 'NO_HOLDS' }],
    ['session:renew', { token: 'not-a-token' }, { none: 'UNAUTHENTICATED', other: 'UNAUTHENTICATED' }],
  ];
  const anon = await h.connect();
  const intruder = await h.connect(tokens.other);
  for (const [event, payload, expected] of events) {
    for (const [who, socket] of [['none', anon], ['other', intruder]] as const) {
      const a = await ack<Ack<{ released?: string[] }>>(socket, event as 'show:join', payload);
      const got = a.ok ? 'ok' : a.error.code;
      expect(got === expected[who] || (expected[who] === 'NO_HOLDS' && !a.ok), `${event} as ${who}: ${got}`).toBe(true);
      if (event === 'seat:release' && a.ok) expect(a.released).toEqual([]);
    }
  }
  const map = (await (await fetch(`${h.url}/api/shows/${other.showId}/seats`)).json()) as { seats: { id: string; status: string }[] };
  expect(map.seats.find((s) => s.id === 'B1')?.status).toBe('held');
});

it('every HTTP route answers each kind of caller as the table says', async () => {
  const b = () => booking.id;
  const day = new Date(show.show.startsAt + 5.5 * 3600_000).toISOString().slice(0, 10);
  // The mailed PDF link is its own credential: the same answer for every caller.
  const link = new URL((await h.app.services.tickets.pdfLink((await h.app.stores.bookings.get(booking.id))!)).url).pathname;
  // [method, path, body, expected status for none / owner / other / staffB / staffA]
  const table: [string, () => string, unknown, [number, number, number, number, number]][] = [
    ['GET', () => '/healthz', undefined, [200, 200, 200, 200, 200]],
    ['GET', () => '/api/cities', undefined, [200, 200, 200, 200, 200]],
    ['GET', () => '/api/movies', undefined, [200, 200, 200, 200, 200]],
    ['GET', () => `/api/shows?city=testville&date=${day}`, undefined, [200, 200, 200, 200, 200]],
    ['GET', () => `/api/shows/${show.showId}`, undefined, [200, 200, 200, 200, 200]],
    ['GET', () => `/api/shows/${show.showId}/seats`, undefined, [200, 200, 200, 200, 200]],
    ['GET', () => `/api/shows/${show.showId}/quote?seats=A2`, undefined, [200, 200, 200, 200, 200]],
    ['GET', () => '/api/me', undefined, [401, 200, 200, 200, 200]],
    ['GET', () => '/api/bookings', undefined, [401, 200, 200, 200, 200]],
    ['GET', () => `/api/bookings/${b()}`, undefined, [401, 200, 404, 404, 200]],
    ['GET', () => `/api/bookings/${b()}/ticket.pdf`, undefined, [401, 200, 404, 404, 200]],
    ['GET', () => link, undefined, [200, 200, 200, 200, 200]],
    ['GET', () => link.replace(booking.id, `${booking.id}x`), undefined, [404, 404, 404, 404, 404]],
    ['POST', () => '/api/tickets/verify', { code: 'MM1.x.y' }, [401, 403, 403, 200, 200]],
    ['GET', () => '/api/staff/theatres', undefined, [401, 403, 403, 200, 200]],
    ['GET', () => '/api/staff/theatres/test-theatre/screens', undefined, [401, 403, 403, 403, 200]],
    ['GET', () => `/api/staff/theatres/test-theatre/shows?date=${day}`, undefined, [401, 403, 403, 403, 200]],
    ['GET', () => `/api/staff/shows/${show.showId}/occupancy`, undefined, [401, 403, 403, 403, 200]],
    ['POST', () => '/api/staff/theatres/test-theatre/shows', {}, [401, 403, 403, 403, 400]],
    ['PATCH', () => `/api/staff/shows/${show.showId}`, { language: 'Telugu' }, [401, 403, 403, 403, 200]],
    ['PUT', () => `/api/staff/screens/${show.show.screenId}/layout`, { layout: { categories: [] } }, [401, 403, 403, 403, 400]],
    ['GET', () => `/api/staff/theatres/test-theatre/report?from=${day}&to=${day}`, undefined, [401, 403, 403, 403, 200]],
    ['GET', () => '/api/staff/notifications/failed', undefined, [401, 403, 403, 403, 403]],
    ['GET', () => '/dev/mail', undefined, [200, 200, 200, 200, 200]], // embedded demo only (not mounted with SNS)
    // Account routes: public ones answer everyone alike (and reveal nothing); the rest need a session.
    ['POST', () => '/api/auth/refresh', undefined, [401, 401, 401, 401, 401]], // needs the cookie, not a bearer token
    ['POST', () => '/api/auth/verify-email', { token: 'MMV1.u_x.1.forged-signature' }, [400, 400, 400, 400, 400]],
    ['POST', () => '/api/auth/forgot-password', (who: Who) => ({ email: `nobody-${who}@test.example` }), [202, 202, 202, 202, 202]],
    ['POST', () => '/api/auth/reset-password', { token: 'MMP1.u_x.nonce.forged-signature', password: 'a long new secret 1' }, [400, 400, 400, 400, 400]],
    ['POST', () => '/api/auth/resend-verification', undefined, [401, 202, 202, 202, 202]],
    ['POST', () => '/api/auth/change-password', { currentPassword: 'not the password', newPassword: 'a long new secret 1' }, [401, 400, 400, 400, 400]],
    // Last: they change things.
    ['POST', () => `/api/bookings/${b()}/cancel`, undefined, [401, 200, 404, 404, 200]],
    ['POST', () => `/api/staff/shows/${show.showId}/cancel`, undefined, [401, 403, 403, 403, 200]],
    ['POST', () => '/api/auth/logout-all', undefined, [401, 204, 204, 204, 204]],
    ['POST', () => '/api/auth/logout', undefined, [204, 204, 204, 204, 204]], // idempotent, even with nothing to end
    ['GET', () => '/api/me', undefined, [401, 401, 401, 401, 401]], // every session above was ended
  ];
  const mismatches: string[] = [];
  for (const [method, path, body, expected] of table) {
    for (const [i, who] of WHO.entries()) {
      // The owner's cancel must come before staff A's (staff A then sees it cancelled: still 200).
      const payload = typeof body === 'function' ? body(who) : body;
      const res = await fetch(`${h.url}${path()}`, {
        method,
        headers: { ...(tokens[who] ? { authorization: `Bearer ${tokens[who]}` } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) },
        body: payload ? JSON.stringify(payload) : undefined,
      });
      if (res.status !== expected[i]) mismatches.push(`${method} ${path()} as ${who}: ${res.status}, expected ${expected[i]}`);
      if (res.status >= 400) {
        const json = (await res.json()) as { error?: { code?: string } };
        if (!json.error?.code) mismatches.push(`${method} ${path()} as ${who}: no typed error`);
      } else await res.arrayBuffer();
    }
  }
  expect(mismatches).toEqual([]);
});
