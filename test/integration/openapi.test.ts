/**
 * Issue 18: the OpenAPI document is the router. Every route express registers is an
 * operation of the document (or a listed page), every operation is registered, and a call
 * to each operation gets a response that validates against the document (Ajv, 2020-12).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, expressPath, pageRoutes } from '../../protocol/api-spec.js';
import type { Booking } from '../../protocol/index.js';
import { razorpayCheckoutRoutes } from '../../server/adapters/payments/razorpay.js';
import { buildOpenApi } from '../../server/transport/openapi.js';
import { createShow, testLayout, type ShowFixture } from '../support/fixtures.js';
import { ack, call, startHarness, waitFor, type Harness } from '../support/harness.js';
import { asyncValidator, expressAppOf, routerRoutes } from '../support/openapi.js';
import { buildAsyncApi } from '../../server/transport/asyncapi.js';
import { buyer, holdAndConfirm, registerAdmin } from '../support/payment-buyers.js';

let h: Harness;
let show: ShowFixture;
let staffToken: string;
let adminToken: string;
const api = (method: string, path: string, opts: Parameters<typeof call>[3] = {}) => call(h.url, method, path, opts);
const doc = buildOpenApi();
/** The operations whose responses the harness's checking fetch has validated so far. */
const checked = () => (globalThis.fetch as unknown as { checked(): Set<string> }).checked();

beforeAll(async () => {
  h = await startHarness({ payments: { gateway: 'test' }, checkApi: true, config: { accessTokenSeconds: 20 * 86_400 } });
  show = await createShow(h.app.stores.catalog, { now: h.clock.now(), rows: 4, perRow: 8, startsInMs: 30 * 60_000 });
  const staff = await h.app.services.auth.register({ name: 'Staff', email: `oa-staff-${Date.now()}@test.example`, password: 'correct horse battery' }, 'staff', ['test-theatre']);
  if (!staff.ok) throw new Error('staff sign-up failed');
  staffToken = staff.value.token;
  adminToken = await registerAdmin(h);
});
afterAll(() => h.close());

describe('the OpenAPI document and the router', () => {
  it('every route express registers is an operation of the document or a listed page, and every operation is registered', () => {
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const registered = [...routerRoutes(expressAppOf(h.app)), ...routerRoutes(razorpayCheckoutRoutes({ keyId: 'rzp_test_x', keySecret: 'x', webhookSecret: 'x', apiUrl: 'http://127.0.0.1:1', timeoutMs: 1 }))].map(key);
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${expressPath(p)}`));
    const pages = pageRoutes.map(key);
    expect(registered.filter((r) => !documented.includes(r) && !pages.includes(r))).toEqual([]);
    expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
    expect(pages.filter((p) => !registered.includes(p))).toEqual([]);
    expect(documented).toHaveLength(apiRoutes.length);
  });

  it('the document is OpenAPI 3.1 with unique operation ids, each naming its error codes', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const ops = Object.values(doc.paths as Record<string, Record<string, { operationId: string; responses: Record<string, { 'x-error-codes'?: string[] }> }>>).flatMap((i) => Object.values(i));
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const o of ops) expect(Object.values(o.responses).some((r) => r['x-error-codes']?.includes('INTERNAL'))).toBe(true);
  });
});

describe('responses validate against the document', () => {
  let user: Awaited<ReturnType<typeof buyer>>;
  let booking: Booking;

  it('probes, the documents themselves and the catalogue', async () => {
    for (const p of ['/healthz', '/readyz', '/api/openapi.json', '/api/asyncapi.json', '/api/cities', '/api/movies', '/api/movies/test-movie', '/api/ratings']) expect((await api('GET', p)).status).toBe(200);
    const metrics = await fetch(`${h.url}/metrics`);
    expect(metrics.status).toBe(200);
    const movie = (await api('GET', '/api/movies/test-movie')).body.movie;
    const poster = await fetch(`${h.url}${movie.posterUrl}`);
    expect(poster.status).toBe(200);
    const again = await fetch(`${h.url}${movie.posterUrl}`, { headers: { 'if-none-match': poster.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await api('GET', '/api/movies/no-such-movie')).status).toBe(404);
    expect((await api('GET', '/api/shows?city=testville')).body.shows.length).toBeGreaterThan(0);
    expect((await api('GET', '/api/shows?date=tomorrow')).status).toBe(400);
    expect((await api('GET', '/api/search?q=test&city=testville')).status).toBe(200);
    expect((await api('GET', `/api/shows/${show.showId}`)).status).toBe(200);
    expect((await api('GET', `/api/shows/${show.showId}/seats`)).status).toBe(200);
    expect((await api('GET', `/api/shows/${show.showId}/quote?seats=A1,A2`)).status).toBe(200);
  });

  it('accounts: sign-up, log-in, refresh, verification and password mails, password change, log-out', async () => {
    user = await buyer(h);
    const login = await api('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
    expect(login.status).toBe(200);
    expect((await api('POST', '/api/auth/login', { body: { email: user.email, password: 'wrong password' } })).status).toBe(401);
    expect((await api('POST', '/api/auth/refresh', { cookie: login.cookie! })).status).toBe(200);
    expect((await api('POST', '/api/auth/refresh')).status).toBe(401);
    expect((await api('GET', '/api/me', { token: user.token })).status).toBe(200);
    expect((await api('GET', '/api/me')).status).toBe(401);
    expect((await api('POST', '/api/auth/resend-verification', { token: user.token })).status).toBe(202);
    expect((await api('POST', '/api/auth/verify-email', { body: { token: 'not-a-code-we-sent' } })).status).toBe(400);
    expect((await api('POST', '/api/auth/forgot-password', { body: { email: user.email } })).status).toBe(202);
    expect((await api('POST', '/api/auth/reset-password', { body: { token: 'not-a-code-we-sent', password: 'a new long password' } })).status).toBe(400);
    const other = await h.register('changer');
    expect((await api('POST', '/api/auth/change-password', { token: other.token, body: { currentPassword: other.password, newPassword: 'another long passphrase' } })).status).toBe(200);
    expect((await api('POST', '/api/auth/logout', { cookie: other.cookie })).status).toBe(204);
    expect((await api('POST', '/api/auth/logout-all', { token: (await h.register('leaver')).token })).status).toBe(204);
    expect((await api('GET', '/api/me/recommendations?city=testville', { token: user.token })).status).toBe(200);
    const token = user.token;
    expect((await api('PUT', '/api/me/favourites/theatres/test-theatre', { token })).body.favourites.theatres).toEqual(['test-theatre']);
    expect((await api('PUT', '/api/me/favourites/movies/no-such-movie', { token })).status).toBe(404);
    expect((await api('DELETE', '/api/me/favourites/theatres/test-theatre', { token })).status).toBe(200);
    expect((await api('GET', '/api/me/favourites', { token })).status).toBe(200);
    expect((await api('PUT', '/api/me/preferences', { token, body: { language: 'te', offers: true } })).status).toBe(200);
    expect((await api('PUT', '/api/me/preferences', { token, body: { language: 'xx' } })).status).toBe(400);
    expect((await api('GET', '/api/me/preferences', { token })).body.preferences.language).toBe('te');
    expect((await api('GET', '/api/me/loyalty', { token })).status).toBe(200);
    expect((await api('GET', '/api/me/loyalty')).status).toBe(401);
  });

  it('bookings and payments through the test gateway: pay, the webhook, check, tickets, the door, cancel', async () => {
    booking = await holdAndConfirm(user.socket, show.showId, ['B3', 'B4']);
    const token = user.token;
    expect((await api('POST', `/api/bookings/${booking.id}/pay`, { token })).status).toBe(200);
    const ref = booking.payment!.id;
    expect((await api('GET', `/api/test-gateway/payments/${ref}`)).status).toBe(200);
    // Its webhook reaches our server through the checked fetch as well.
    expect((await api('POST', `/api/test-gateway/payments/${ref}/succeed`, { body: {} })).body.changed).toBe(true);
    for (const action of ['fail', 'succeed-late', 'approve-later']) {
      expect((await api('POST', `/api/test-gateway/payments/${ref}/${action}`, { body: action === 'fail' ? {} : { delayMs: 0 } })).status).toBe(200);
    }
    expect((await api('POST', '/api/test-gateway/refunds/fail-next', { body: { count: 1 } })).status).toBe(200);
    expect((await api('POST', '/api/test-gateway/refunds/fail-next', { body: { count: 0 } })).status).toBe(400);
    expect((await api('POST', `/api/bookings/${booking.id}/payment/check`, { token })).body.booking.status).toBe('confirmed');
    expect((await api('POST', '/api/payments/webhook/test', { body: { forged: true } })).status).toBe(400);
    expect((await api('POST', '/api/payments/webhook/stripe', { body: {} })).status).toBe(404);
    expect((await api('GET', '/api/bookings', { token })).body.bookings).toHaveLength(1);
    expect((await api('GET', `/api/bookings/${booking.id}/again`, { token })).status).toBe(200);
    const detail = await api('GET', `/api/bookings/${booking.id}`, { token });
    expect((await api('GET', `/api/bookings/${booking.id}`, { token: staffToken.slice(0, -2) })).status).toBe(401);

    const pdf = await fetch(`${h.url}/api/bookings/${booking.id}/ticket.pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const record = (await h.app.stores.bookings.get(booking.id))!;
    const link = await h.app.services.tickets.pdfLink(record);
    expect(link.url.startsWith(h.url)).toBe(true);
    expect((await fetch(link.url)).status).toBe(200);
    expect((await api('GET', '/api/tickets/forged.link/ticket.pdf')).status).toBe(404);

    expect((await api('POST', '/api/tickets/verify', { token: staffToken, body: { code: detail.body.booking.ticketCode } })).status).toBe(200);
    expect((await api('POST', '/api/tickets/verify', { token, body: { code: 'x' } })).status).toBe(403);

    const second = await holdAndConfirm(user.socket, show.showId, ['C1']);
    await api('POST', `/api/bookings/${second.id}/pay`, { token });
    await api('POST', `/api/test-gateway/payments/${second.payment!.id}/succeed`, { body: {} });
    expect((await api('POST', `/api/bookings/${second.id}/cancel`, { token })).body.booking.status).toBe('cancelled');
  });

  it('reviews: post (the ticket was checked in), list, mark helpful, hide, delete', async () => {
    expect((await api('POST', '/api/movies/test-movie/reviews', { token: user.token, body: { rating: 4, text: 'Good' } })).status).toBe(201);
    expect((await api('GET', '/api/movies/test-movie/reviews?sort=newest', { token: user.token })).body.reviews).toHaveLength(1);
    const reader = await h.register('reader');
    const marked = await api('POST', `/api/movies/test-movie/reviews/${user.userId}/helpful`, { token: reader.token });
    expect([200, 403]).toContain(marked.status);
    expect((await api('POST', `/api/staff/reviews/test-movie/${user.userId}/hide`, { token: staffToken, body: { reason: 'spoilers' } })).status).toBe(200);
    expect((await api('DELETE', '/api/movies/test-movie/reviews/mine', { token: user.token })).status).toBe(200);
  });

  it('staff: theatres, screens, the day, a show created, changed, queued and cancelled, a layout, the report, the admin lists', async () => {
    const token = staffToken;
    expect((await api('GET', '/api/staff/theatres', { token })).body.theatres).toHaveLength(1);
    expect((await api('GET', '/api/staff/theatres', { token: user.token })).status).toBe(403);
    expect((await api('GET', '/api/staff/theatres/test-theatre/screens', { token })).status).toBe(200);
    const png = await sharp({ create: { width: 320, height: 480, channels: 3, background: '#a33' } }).png().toBuffer();
    const upload = (body: Buffer) => fetch(`${h.url}/api/staff/movies/test-movie/poster`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: new Uint8Array(body) });
    expect((await upload(png)).status).toBe(200);
    expect((await upload(Buffer.from('not an image at all'))).status).toBe(400);
    const webp = await fetch(`${h.url}/api/movies/test-movie/poster/160.webp`);
    expect([webp.status, webp.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect((await fetch(`${h.url}/api/movies/test-movie/poster/9999.webp`)).status).toBe(404);
    expect((await api('DELETE', '/api/staff/movies/test-movie/poster', { token })).status).toBe(200);
    const date = new Date(h.clock.now() + 5.5 * 3600_000 + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await api('GET', `/api/staff/theatres/test-theatre/shows?date=${date}`, { token })).status).toBe(200);
    const created = await api('POST', '/api/staff/theatres/test-theatre/shows', {
      token,
      body: { screenId: show.show.screenId, movieId: 'test-movie', date, time: '18:30', language: 'Telugu', prices: { classic: 15_000, premium: 20_000 } },
    });
    expect(created.status).toBe(201);
    const id = created.body.show.id;
    expect((await api('PATCH', `/api/staff/shows/${id}`, { token, body: { time: '19:00' } })).status).toBe(200);
    expect((await api('GET', `/api/staff/shows/${id}/occupancy`, { token })).status).toBe(200);
    expect((await api('PUT', `/api/staff/shows/${id}/queue`, { token, body: { admitPerMinute: 60 } })).body.queue.showId).toBe(id);
    expect((await api('GET', `/api/staff/shows/${id}/queue`, { token })).status).toBe(200);
    expect((await api('DELETE', `/api/staff/shows/${id}/queue`, { token })).body.queue).toBeNull();
    expect((await api('POST', `/api/staff/shows/${id}/cancel`, { token })).status).toBe(200);

    await h.app.stores.catalog.putScreens([{ id: 'oa-empty-screen', theatreId: 'test-theatre', name: 'Screen E', layout: testLayout(2, 4) }]);
    expect((await api('PUT', '/api/staff/screens/oa-empty-screen/layout', { token, body: { layout: testLayout(3, 4) } })).body.seats).toBe(12);
    const today = new Date(h.clock.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
    expect((await api('GET', `/api/staff/theatres/test-theatre/report?from=${today}&to=${date}`, { token })).status).toBe(200);
    const csv = await fetch(`${h.url}/api/staff/theatres/test-theatre/report?from=${today}&to=${date}&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await api('GET', '/api/staff/notifications/failed', { token: adminToken })).status).toBe(200);
    expect((await api('GET', '/api/staff/payments/problems', { token: adminToken })).status).toBe(200);
    expect((await api('GET', '/api/staff/payments/problems', { token })).status).toBe(403);
  });

  it('every operation of the document was called above and its response validated', () => {
    const all = Object.entries(doc.paths as Record<string, object>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
    expect(all.filter((o) => !checked().has(o))).toEqual([]);
  });
});

describe('socket acks and pushes validate against the AsyncAPI document', () => {
  it('join, hold, hold-best, release, confirm, queue, renew and leave acks (success and error), and the seats:changed, cart:changed and booking:changed pushes', async () => {
    const check = asyncValidator(buildAsyncApi());
    const u = await h.register('socketeer');
    const [a, b] = [await h.connect(u.token), await h.connect(u.token)];
    const pushes: [string, unknown][] = [];
    for (const e of ['seats:changed', 'cart:changed', 'booking:changed'] as const) b.on(e, (m: unknown) => pushes.push([e, m]));
    const acks: [string, unknown][] = [];
    const emit = async (event: Parameters<typeof ack>[1], payload: unknown) => {
      const r = await ack<unknown>(a, event, payload);
      acks.push([event, r]);
      return r as { ok: boolean };
    };
    const showId = show.showId;
    expect((await ack<{ ok: boolean }>(b, 'show:join', { showId })).ok).toBe(true);
    expect((await emit('show:join', { showId })).ok).toBe(true);
    expect((await emit('seat:hold', { showId, seatIds: ['D1', 'D2'] })).ok).toBe(true);
    expect((await emit('seat:hold', { showId, seatIds: ['D1', 'D1'] })).ok).toBe(false);
    expect((await emit('seat:hold-best', { showId, count: 2 })).ok).toBe(true);
    expect((await emit('seat:release', { showId, seatIds: ['D2'] })).ok).toBe(true);
    expect((await emit('booking:confirm', { showId, idempotencyKey: 'asyncapi-confirm-1' })).ok).toBe(true);
    expect((await emit('queue:join', { showId }))).toBeDefined();
    expect((await emit('session:renew', { token: u.token })).ok).toBe(true);
    expect((await emit('show:leave', { showId })).ok).toBe(true);
    await waitFor(() => pushes.some(([e]) => e === 'seats:changed') && pushes.some(([e]) => e === 'cart:changed'), 5000, 'pushes');
    const name = (event: string) => event.replace(/(^|[:-])(\w)/g, (_m, _d, c: string) => c.toUpperCase());
    const wrong = [
      ...acks.map(([e, v]) => [e, check(`${name(e)}Ack`, v)] as const),
      ...pushes.map(([e, v]) => [e, check(name(e), v)] as const),
    ].filter(([, problem]) => problem !== null);
    expect(wrong).toEqual([]);
    // A push that is not what the document says is caught (the check is not vacuous).
    expect(check('SeatsChanged', { showId, version: 0, changes: [] })).not.toBeNull();
  });
});
