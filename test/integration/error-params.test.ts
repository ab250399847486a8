/**
 * Errors carry what a client needs to word them in the user's language: a stable `reason`
 * and the `params` of the sentence (limits, seats, waits), and VALIDATION details name the
 * field with a machine-readable reason. The English `message` stays for logs and API users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reason, type Ack, type ApiError, type HoldResult } from '../../protocol/index.js';
import { createShow } from '../support/fixtures.js';
import { ack, call, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const newShow = () => createShow(h.app.stores.catalog, { now: h.clock.now() });
const known = new Set<string>(Reason);
/** Every reason anywhere in the error is one of the protocol's. */
function reasonsOf(e: ApiError): string[] {
  return [...(e.reason ? [e.reason] : []), ...(e.details ?? []).map((d) => d.reason)];
}

describe('socket errors carry reason and params', () => {
  it('HOLD_LIMIT says the limit and how many more seats may be added: {limit: 10, left: 2}', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    const eight = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8'];
    expect((await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: eight })).ok).toBe(true);
    const over = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['D9', 'D10', 'E1'] });
    expect(over).toMatchObject({ ok: false, error: { code: 'HOLD_LIMIT', params: { limit: 10, left: 2 } } });
  });

  it('SEAT_TAKEN names the seats; unknown seats are VALIDATION with reason unknown_seats and each seat in params', async () => {
    const show = await newShow();
    const [a, b] = await Promise.all([h.register('a'), h.register('b')]);
    const [sa, sb] = await Promise.all([h.connect(a.token), h.connect(b.token)]);
    await ack(sa, 'seat:hold', { showId: show.showId, seatIds: ['C3'] });
    const taken = await ack<Ack<HoldResult>>(sb, 'seat:hold', { showId: show.showId, seatIds: ['C3', 'C4'] });
    expect(taken).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN', seatIds: ['C3'] } });
    const unknown = await ack<Ack<HoldResult>>(sb, 'seat:hold', { showId: show.showId, seatIds: ['Z9'] });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', reason: 'unknown_seats', params: { seatIds: ['Z9'] }, details: [{ path: 'seatIds', reason: 'unknown_seat', params: { seat: 'Z9' } }] },
    });
  });

  it('malformed socket payloads have details with a schema reason (not_unique, too_many with max)', async () => {
    const show = await newShow();
    const u = await h.register();
    const s = await h.connect(u.token);
    const twice = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: ['A1', 'A1'] });
    expect(twice).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: [{ path: 'seatIds', reason: 'not_unique' }] } });
    const many = await ack<Ack<HoldResult>>(s, 'seat:hold', { showId: show.showId, seatIds: Array.from({ length: 51 }, (_, i) => `B${i + 1}`) });
    expect(many).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: [{ path: 'seatIds', reason: 'too_many', params: { max: 50 } }] } });
  });
});

describe('HTTP errors carry reason and params', () => {
  it('sign-up field problems: required name, invalid email, password too short {min: 8}', async () => {
    const r = await call(h.url, 'POST', '/api/auth/register', { body: { name: ' ', email: 'not-an-email', password: 'short' } });
    expect(r.status).toBe(400);
    const byPath = Object.fromEntries((r.body.error as ApiError).details!.map((d) => [d.path, d]));
    expect(byPath.name).toMatchObject({ reason: 'required' });
    expect(byPath.email).toMatchObject({ reason: 'invalid_email' });
    expect(byPath.password).toMatchObject({ reason: 'too_short', params: { min: 8 } });
    const empty = await call(h.url, 'POST', '/api/auth/register', { body: { name: 'Asha', email: '', password: 'long enough pass' } });
    expect(empty.body.error.details).toMatchObject([{ path: 'email', reason: 'required' }]);
  });

  it('a common password is refused with reason common_password on the password field', async () => {
    const r = await call(h.url, 'POST', '/api/auth/register', { body: { name: 'Ravi', email: `ravi-${Date.now()}@test.example`, password: 'password123' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ path: 'password', reason: 'common_password' }));
  });

  it('a wrong log-in is UNAUTHENTICATED with reason wrong_credentials', async () => {
    const u = await h.register();
    const r = await call(h.url, 'POST', '/api/auth/login', { body: { email: u.email, password: 'not the password' } });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'wrong_credentials' });
  });

  it('an unknown show and an unknown city say which, the city in params', async () => {
    const show = await call(h.url, 'GET', '/api/shows/no-such-show');
    expect(show.body.error).toMatchObject({ code: 'NOT_FOUND', reason: 'show_not_found' });
    const city = await call(h.url, 'GET', '/api/shows?city=atlantis');
    expect(city.body.error).toMatchObject({ code: 'NOT_FOUND', reason: 'city_not_found', params: { city: 'atlantis' } });
  });

  it('a customer on a staff route is FORBIDDEN with reason staff_only; every reason sent is a protocol Reason', async () => {
    const u = await h.register();
    const r = await call(h.url, 'GET', '/api/staff/theatres', { token: u.token });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'staff_only' });
    const weak = await call(h.url, 'POST', '/api/auth/register', { body: { name: '', email: 'x', password: 'qwerty123' } });
    for (const e of [r.body.error, weak.body.error]) for (const reason of reasonsOf(e)) expect(known.has(reason), reason).toBe(true);
  });
});
