/** Malformed payloads on every event and route: VALIDATION, nothing changes, the server stays up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type ClientSocket, type Harness } from '../support/harness.js';

let h: Harness;
let show: ShowFixture;
let user: { token: string; userId: string };
let socket: ClientSocket;
beforeAll(async () => {
  h = await startHarness();
  show = await createShow(h.app.stores.catalog, { now: h.clock.now() });
  user = await h.register();
  socket = await h.connect(user.token);
});
afterAll(() => h.close());

const junk = [
  undefined,
  null,
  42,
  'text',
  [],
  {},
  { showId: '' },
  { showId: 'x'.repeat(65) },
  { showId: 'bad id!' },
  { showId: { $ne: null } },
  { showId: ['a'] },
];

const storeSnapshot = async () => {
  const seats = await h.app.stores.seats.seats(show.showId);
  const bookings = await h.app.stores.bookings.listByUser(user.userId);
  return JSON.stringify({ seats, bookings });
};

describe('socket events reject malformed payloads with VALIDATION', () => {
  const cases: [string, unknown[]][] = [
    ['show:join', junk],
    ['show:leave', junk],
    [
      'seat:hold',
      [
        ...junk,
        { showId: 'SHOWID', seatIds: [] },
        { showId: 'SHOWID', seatIds: 'A1' },
        { showId: 'SHOWID', seatIds: ['A1', 'A1'] },
        { showId: 'SHOWID', seatIds: ['a1'] },
        { showId: 'SHOWID', seatIds: ['A0'] },
        { showId: 'SHOWID', seatIds: ['Z99'] },
        { showId: 'SHOWID', seatIds: [1, 2] },
        { showId: 'SHOWID', seatIds: Array.from({ length: 51 }, (_, i) => `A${i + 1}`) },
      ],
    ],
    ['seat:release', [...junk, { showId: 'SHOWID', seatIds: [] }, { showId: 'SHOWID', seatIds: ['A1', 'A1'] }]],
    [
      'booking:confirm',
      [
        ...junk,
        { showId: 'SHOWID' },
        { showId: 'SHOWID', idempotencyKey: 'short' },
        { showId: 'SHOWID', idempotencyKey: 'x'.repeat(101) },
        { showId: 'SHOWID', idempotencyKey: 'has spaces in it' },
        { showId: 'SHOWID', idempotencyKey: 12345678 },
      ],
    ],
  ];
  for (const [event, payloads] of cases) {
    it(`${event}`, async () => {
      const before = await storeSnapshot();
      for (const raw of payloads) {
        const payload = JSON.parse(JSON.stringify(raw ?? null).replaceAll('SHOWID', show.showId));
        const r = await ack<Ack>(socket, event as 'seat:hold', raw === undefined ? undefined : payload);
        expect(r.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe('VALIDATION');
          expect(typeof r.error.message).toBe('string');
        }
      }
      expect(await storeSnapshot()).toBe(before);
      expect(socket.connected).toBe(true);
    });
  }

  it('unknown shows answer NOT_FOUND', async () => {
    expect(await ack(socket, 'seat:hold', { showId: 'no-such-show', seatIds: ['A1'] })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await ack(socket, 'show:join', { showId: 'no-such-show' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('an event without an ack callback is ignored and the connection stays up', async () => {
    (socket as unknown as { emit(e: string, p: unknown): void }).emit('seat:hold', { showId: show.showId, seatIds: ['A1'] });
    const r = await ack(socket, 'show:join', { showId: show.showId });
    expect(r).toMatchObject({ ok: true });
    expect((await h.app.stores.seats.seats(show.showId)).length).toBe(0);
  });
});

describe('HTTP routes reject malformed input with typed errors', () => {
  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('register and login', async () => {
    const malformed = ['{', 'null', '[]', '{}', JSON.stringify({ email: 'not-an-email', password: 'longenough' })];
    const register = [
      ...malformed,
      JSON.stringify({ name: '', email: 'a@b.co', password: 'longenough' }),
      JSON.stringify({ name: 'A', email: 'a@b.co', password: 'short' }),
      JSON.stringify({ name: 'A', email: 'a@b.co', password: 123456789 }),
      JSON.stringify({ name: 'A'.repeat(81), email: 'a@b.co', password: 'longenough' }),
      JSON.stringify({ name: 'A', email: 'a@b.co', password: 'x'.repeat(20_000) }),
    ];
    const login = [...malformed, JSON.stringify({ email: 'a@b.co', password: '' }), JSON.stringify({ email: 'a@b.co' })];
    for (const [path, bodies] of [
      ['/api/auth/register', register],
      ['/api/auth/login', login],
    ] as const) {
      for (const body of bodies) {
        const res = await post(path, body);
        const json = (await res.json()) as { error: { code: string; message: string } };
        expect(res.status, `${path} ${body.slice(0, 60)}`).toBe(400);
        expect(json.error.code).toBe('VALIDATION');
      }
    }
    expect((await post('/api/auth/register', 'name=a', 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it('duplicate email is EMAIL_TAKEN (409); wrong password is 401', async () => {
    const body = JSON.stringify({ name: 'Dup', email: 'dup@test.example', password: 'longenough1' });
    expect((await post('/api/auth/register', body)).status).toBe(201);
    const again = await post('/api/auth/register', body.replace('dup@', 'DUP@'));
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.code).toBe('EMAIL_TAKEN');
    const bad = await post('/api/auth/login', JSON.stringify({ email: 'dup@test.example', password: 'wrong-password' }));
    expect(bad.status).toBe(401);
    const good = await post('/api/auth/login', JSON.stringify({ email: 'Dup@Test.example', password: 'longenough1' }));
    expect(good.status).toBe(200);
  });

  it('query strings and path parameters', async () => {
    const cases: [string, number, string][] = [
      ['/api/shows?date=25-11-2026', 400, 'VALIDATION'],
      ['/api/shows?date=2026-11-25&date=2026-11-26', 400, 'VALIDATION'],
      ['/api/shows?city=atlantis', 404, 'NOT_FOUND'],
      ['/api/shows/bad%20id/seats', 400, 'VALIDATION'],
      ['/api/shows/no-such-show/seats', 404, 'NOT_FOUND'],
      ['/api/shows/no-such-show', 404, 'NOT_FOUND'],
      ['/api/bookings/bad%20id', 401, 'UNAUTHENTICATED'],
      ['/api/nothing-here', 404, 'NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBe(status);
      expect(((await res.json()) as any).error.code, path).toBe(code);
    }
    const res = await fetch(`${h.url}/api/bookings/bad%20id`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(res.status).toBe(400);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
