/**
 * Fuzzing (hardening issue): thousands of random and malformed payloads to every socket
 * event and JSON route. The server stays up, every answer is a typed error (or a
 * legitimate success), and the store is unchanged afterwards.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type ClientSocket, type Harness } from '../support/harness.js';

let h: Harness;
let show: ShowFixture;
let socket: ClientSocket;
let anon: ClientSocket;
let token: string;
let admin: string;
const codes = new Set<string>(Object.values(ErrorCode));

async function storeState(): Promise<string> {
  const out: string[] = [];
  for (const table of [h.dynamo.tables.main, h.dynamo.tables.seats]) {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await h.dynamo.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }));
      for (const item of page.Items ?? []) out.push(JSON.stringify(item, Object.keys(item).sort()));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
  return out.sort().join('\n');
}

beforeAll(async () => {
  h = await startHarness();
  show = await createShow(h.app.stores.catalog, { now: h.clock.now() });
  const u = await h.register('fuzz');
  token = u.token;
  socket = await h.connect(token);
  anon = await h.connect();
  const r = await h.app.services.auth.register({ name: 'Admin', email: 'fuzz-admin@test.example', password: 'correct horse battery' }, 'admin');
  if (!r.ok) throw new Error('admin');
  admin = r.value.token;
  await h.app.services.notifications.drain(); // the sign-ups' verification mails are out before the store is compared
});
afterAll(() => h.close());

/** Payloads that look almost right as well as pure junk. */
const id = fc.oneof(fc.constant(''), fc.string({ maxLength: 80 }), fc.constantFrom('show-1', '../etc', 'A1', 'a'.repeat(65)), fc.integer(), fc.constant(null));
const seatIds = fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('A1', 'Z99', 'A0', 'AAA1', 'A1000'), fc.integer()), { maxLength: 60 }), fc.anything());
const payload = fc.oneof(
  fc.anything(),
  fc.record({ showId: id, seatIds }, { requiredKeys: [] }),
  fc.record({ showId: id, idempotencyKey: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()) }, { requiredKeys: [] }),
  fc.record({ showId: fc.constant('__SHOW__'), seatIds }),
  fc.record({ showId: fc.constant('__SHOW__'), idempotencyKey: fc.string({ maxLength: 7 }) }),
);
const withShow = (p: unknown): unknown =>
  p && typeof p === 'object' && (p as { showId?: unknown }).showId === '__SHOW__' ? { ...(p as object), showId: `${show.showId}-nope` } : p;

it('every socket event answers random payloads with a typed error, and the store does not change', async () => {
  const before = await storeState();
  let answered = 0;
  for (const event of ['show:join', 'show:leave', 'seat:hold', 'seat:release', 'booking:confirm', 'session:renew'] as const) {
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, asAnon) => {
        const a = await ack<{ ok: boolean; error?: { code: string; message: string } }>(asAnon ? anon : socket, event, withShow(p));
        answered++;
        if (a.ok) return; // a join/leave of a real-looking but absent show can only be a typed 404 or ok
        expect(codes.has(a.error!.code), JSON.stringify(a)).toBe(true);
        expect(typeof a.error!.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  }
  expect(answered).toBe(1800);
  // A junk session:renew never changed who the socket is (a snapshot has "mine" only for a signed-in socket).
  expect(await ack(socket, 'show:join', { showId: show.showId })).toMatchObject({ ok: true, snapshot: { mine: { seatIds: [] } } });
  expect(await storeState()).toBe(before);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
});

it('every JSON route answers random bodies with a typed error, and the store does not change', async () => {
  const before = await storeState();
  const routes: [string, string, string | undefined][] = [
    ['POST', '/api/auth/register', undefined],
    ['POST', '/api/auth/login', undefined],
    ['POST', '/api/staff/theatres/test-theatre/shows', admin],
    ['PATCH', `/api/staff/shows/${show.showId}`, admin],
    ['PUT', `/api/staff/screens/${show.show.screenId}/layout`, admin],
    ['POST', '/api/bookings/bk_nope/cancel', token],
    ['POST', '/api/auth/verify-email', undefined],
    ['POST', '/api/auth/forgot-password', undefined],
    ['POST', '/api/auth/reset-password', undefined],
    ['POST', '/api/auth/change-password', token],
    ['POST', '/api/tickets/verify', admin],
  ];
  const body = fc.oneof(
    fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
    fc.string({ maxLength: 200 }),
    fc.constantFrom('{', '{"a":', '[]', 'null', '""', '{"email":"x@y.z","password":1}', '{"email":"nobody@fuzz.example"}', '{"token":"MMV1.u_1.99999999999.AAAAAAAAAAAAAAAAAAAAAA"}', '{"token":"MMP1.u_1.n.AAAAAAAAAAAAAAAAAAAAAA","password":"long enough pass 1"}', '{"currentPassword":"x","newPassword":"long enough pass 1"}', '{"layout":{"rows":[]}}', '{"date":"2026-13-45","time":"25:00"}'),
  );
  let answered = 0;
  for (const [method, path, auth] of routes) {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await fetch(`${h.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
          body: b,
        });
        answered++;
        const json = (await res.json()) as { error?: { code: string; message: string }; sent?: boolean };
        // A well-formed reset request for an address with no account is answered like any other: 202, nothing stored.
        if (res.status === 202 && path === '/api/auth/forgot-password') return void expect(json).toEqual({ sent: true });
        // A well-formed but made-up ticket code is a legitimate question with a legitimate answer.
        if (res.status === 200 && path === '/api/tickets/verify') return void expect((json as { result?: string }).result).toBe('forged');
        expect([400, 401, 403, 404, 409, 429], `${method} ${path} ${b} → ${res.status}`).toContain(res.status);
        expect(codes.has(json.error?.code ?? ''), JSON.stringify(json)).toBe(true);
      }),
      { numRuns: 200 },
    );
  }
  expect(answered).toBe(2200);
  expect(await storeState()).toBe(before);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
});

it('the refresh cookie answers random and near-miss values with 401 and a cleared cookie, and the store does not change', async () => {
  const before = await storeState();
  const u = await h.register('cookie-fuzz');
  const genuine = u.cookie.slice('mm_refresh='.length);
  await h.app.services.notifications.drain(); // the sign-up's verification mail is delivered (and marked sent) first
  const afterSignUp = await storeState();
  const value = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom('MMR1', 'MMR1..', 'MMR1.a.0.b', `${genuine}x`, genuine.replace(/\.0\./, '.1.'), genuine.replace('MMR1', 'MMV1'), genuine.slice(0, -3)),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/), fc.nat(), fc.string({ maxLength: 30 })).map(([f, c, sig]) => `MMR1.${f}.${c}.${sig}`),
  );
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(value, async (v) => {
      const res = await fetch(`${h.url}/api/auth/refresh`, { method: 'POST', headers: { cookie: `mm_refresh=${encodeURIComponent(v)}` } });
      answered++;
      const json = (await res.json()) as { error?: { code: string } };
      expect(res.status, v).toBe(401);
      expect(json.error?.code).toBe('UNAUTHENTICATED');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('mm_refresh=;'))).toBe(true);
    }),
    { numRuns: 400 },
  );
  expect(answered).toBe(400);
  expect(await storeState()).toBe(afterSignUp);
  expect(afterSignUp).not.toBe(before);
  // The genuine token was never replayed by the fuzzing (no near miss counted as reuse): it still works.
  expect((await fetch(`${h.url}/api/auth/refresh`, { method: 'POST', headers: { cookie: u.cookie } })).status).toBe(200);
});
