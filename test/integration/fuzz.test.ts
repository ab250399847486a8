/**
 * Fuzzing (hardening issue): thousands of random and malformed payloads to every socket
 * event and JSON route. The server stays up, every answer is a typed error (or a
 * legitimate success), and the store is unchanged afterwards. Then well-formed but hostile
 * payloads from signed-in users, which reach the seat service: the store's seat
 * invariants hold after every batch.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmRequest, ErrorCode, HoldRequest, ReleaseRequest } from '../../protocol/index.js';
import { createShow, type ShowFixture } from '../support/fixtures.js';
import { ack, startHarness, type ClientSocket, type Harness } from '../support/harness.js';
import { seatInvariantViolations } from '../support/invariants.js';

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
  // The per-socket seat-event limit (tested in abuse.test.ts) would answer most of these with RATE_LIMITED before any service.
  h = await startHarness({ config: { limits: { authPerIp: null, seatEventsPerSocket: null } } });
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
  // Well-formed (an 8-100 character key) for a show that does not exist: reaches the confirm service.
  fc.record({ showId: fc.constant('__SHOW__'), idempotencyKey: fc.stringMatching(/^[\x21-\x7e]{8,100}$/) }),
);
const withShow = (p: unknown): unknown =>
  p && typeof p === 'object' && (p as { showId?: unknown }).showId === '__SHOW__' ? { ...(p as object), showId: `${show.showId}-nope` } : p;

it('every socket event answers random payloads with a typed error, and the store does not change', async () => {
  const before = await storeState();
  let answered = 0;
  const byCode: Record<string, Record<string, number>> = {};
  for (const event of ['show:join', 'show:leave', 'seat:hold', 'seat:release', 'booking:confirm', 'session:renew'] as const) {
    await fc.assert(
      fc.asyncProperty(payload, fc.boolean(), async (p, asAnon) => {
        const a = await ack<{ ok: boolean; error?: { code: string; message: string } }>(asAnon ? anon : socket, event, withShow(p));
        answered++;
        const code = a.ok ? 'ok' : a.error!.code;
        (byCode[event] ??= {})[code] = (byCode[event]![code] ?? 0) + 1;
        if (a.ok) return; // a join/leave of a real-looking but absent show can only be a typed 404 or ok
        expect(codes.has(a.error!.code), JSON.stringify(a)).toBe(true);
        expect(typeof a.error!.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  }
  expect(answered).toBe(1800);
  console.log(`[fuzz] junk socket payloads by event and answer: ${JSON.stringify(byCode)}`);
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

// ---- well-formed but hostile: real shows, signed-in users, the seat service reached ----------

type Answer = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string; seatIds?: string[] } };
type ShowPick = 'open' | 'small' | 'started' | 'ghost';
/** Which seats: resolved when the batch runs, against the store as the batch begins. */
type SeatPick =
  | { from: 'any'; picks: number[] }
  | { from: 'others'; n: number }
  | { from: 'mine'; n: number }
  | { from: 'fifty' }
  | { from: 'fifty-one' }
  | { from: 'duplicate'; pick: number };
type Op =
  | { kind: 'seat:hold' | 'seat:release'; user: number; show: ShowPick; seats: SeatPick }
  | { kind: 'booking:confirm'; user: number; show: ShowPick; key: { fresh: string } | { reuse: number } }
  | { kind: 'cancel'; user: number; booking: number };

const USERS = 4;
const showPick = fc.constantFrom<ShowPick>('open', 'open', 'open', 'open', 'small', 'small', 'started', 'ghost');
const seatPick: fc.Arbitrary<SeatPick> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ from: fc.constant('any' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ from: fc.constant('others' as const), n: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ from: fc.constant('mine' as const), n: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.constant({ from: 'fifty' as const }) },
  { weight: 1, arbitrary: fc.constant({ from: 'fifty-one' as const }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('duplicate' as const), pick: fc.nat() }) },
);
/** Releases aim more at seats someone holds: the caller's own, and others'. */
const releasePick: fc.Arbitrary<SeatPick> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ from: fc.constant('mine' as const), n: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ from: fc.constant('others' as const), n: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 3, arbitrary: seatPick },
);
const user = fc.nat({ max: USERS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('seat:hold' as const), user, show: showPick, seats: seatPick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('seat:release' as const), user, show: showPick, seats: releasePick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('booking:confirm' as const),
      user,
      show: showPick,
      key: fc.oneof(fc.record({ fresh: fc.stringMatching(/^[\x21-\x7e]{8,100}$/) }), fc.record({ reuse: fc.nat() })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), user, booking: fc.nat() }) },
);
const batch = fc.record({ ops: fc.array(op, { minLength: 8, maxLength: 24 }), holdsRunOut: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) });

describe('well-formed but hostile payloads from signed-in users', () => {
  const shows = {} as Record<Exclude<ShowPick, 'ghost'>, ShowFixture>;
  const people: { userId: string; token: string; socket: ClientSocket }[] = [];
  /** Keys each user confirmed with, in earlier batches: the same key again must answer the same booking. */
  const keys: { key: string; showId: string; bookingId: string }[][] = Array.from({ length: USERS }, () => []);
  const bookings: { id: string; userId: string }[] = [];

  beforeAll(async () => {
    const now = h.clock.now();
    shows.open = await createShow(h.app.stores.catalog, { now, rows: 6, perRow: 10 }); // A1-F10
    shows.small = await createShow(h.app.stores.catalog, { now, rows: 3, perRow: 6 }); // A1-C6: most of open's seats are not its own
    shows.started = await createShow(h.app.stores.catalog, { now, rows: 3, perRow: 6, startsInMs: -60_000 });
    for (let i = 0; i < USERS; i++) {
      const u = await h.register(`hostile${i}`);
      people.push({ userId: u.userId, token: u.token, socket: await h.connect(u.token) });
    }
  });

  const showIdOf = (s: ShowPick) => (s === 'ghost' ? 'show-that-does-not-exist' : shows[s].showId);
  const everySeat = () => [...new Set([...shows.open.seatIds, ...shows.small.seatIds, 'Z99', 'AA1'])];

  /** Who holds and has booked what, per show, as the batch begins. */
  async function state(showId: string) {
    const now = h.clock.now();
    const records = showId.startsWith('show-that') ? [] : await h.app.stores.seats.seats(showId);
    return records.filter((r): r is typeof r & { userId: string } => !!r.userId && (r.status === 'booked' || (r.status === 'held' && (r.expiresAt ?? 0) > now)));
  }

  function seatsFor(pick: SeatPick, me: string, taken: Awaited<ReturnType<typeof state>>): string[] {
    const all = everySeat();
    const others = taken.filter((r) => r.userId !== me).map((r) => r.seatId);
    const mine = taken.filter((r) => r.userId === me && r.status === 'held').map((r) => r.seatId);
    switch (pick.from) {
      case 'any':
        return [...new Set(pick.picks.map((i) => all[i % all.length]!))];
      case 'others':
        return others.length ? others.slice(0, pick.n) : [all[0]!];
      case 'mine':
        return mine.length ? mine.slice(0, pick.n) : [all[1]!];
      case 'fifty':
        return shows.open.seatIds.slice(0, 50);
      case 'fifty-one':
        return shows.open.seatIds.slice(0, 51);
      case 'duplicate':
        return [all[pick.pick % all.length]!, all[pick.pick % all.length]!];
    }
  }

  it('reach the seat service, get legitimate answers, and the store keeps its invariants after every batch', async () => {
    const reached: Record<string, Record<string, number>> = {};
    const edge: Record<string, Record<string, number>> = {};
    const count = (into: typeof reached, event: string, code: string) => ((into[event] ??= {})[code] = (into[event]![code] ?? 0) + 1);
    let batches = 0;
    let runOuts = 0;
    let released = 0;
    let keysMade = 0;
    const allowed: Record<string, string[]> = {
      'seat:hold': ['ok', 'SEAT_TAKEN', 'HOLD_LIMIT', 'VALIDATION', 'NOT_FOUND', 'SHOW_CLOSED', 'UNAVAILABLE'],
      'seat:release': ['ok', 'NOT_FOUND', 'UNAVAILABLE'],
      'booking:confirm': ['ok', 'NO_HOLDS', 'HOLD_EXPIRED', 'SHOW_CLOSED', 'NOT_FOUND', 'VALIDATION', 'UNAVAILABLE'],
      cancel: ['ok', 'NOT_FOUND'],
    };

    await fc.assert(
      fc.asyncProperty(batch, async ({ ops, holdsRunOut }) => {
        batches++;
        // Every hold made so far runs out (HOLD_SECONDS 480); a few times only, so the 1-hour access tokens stay good.
        if (holdsRunOut && runOuts < 6) {
          runOuts++;
          h.clock.advance(481_000);
        }
        const showIds = [...new Set(ops.flatMap((o) => ('show' in o ? [showIdOf(o.show)] : [])))];
        const before = new Map(await Promise.all(showIds.map(async (id) => [id, await state(id)] as const)));
        const knownKeys = keys.map((k) => [...k]);
        const knownBookings = [...bookings];
        /** Users who released, confirmed or cancelled in this batch: only they may lose seats. */
        const actors = new Set(ops.filter((o) => o.kind !== 'seat:hold').map((o) => people[o.user]!.userId));
        const cancelled = new Set<string>();

        await Promise.all(
          ops.map(async (o) => {
            const me = people[o.user]!;
            if (o.kind === 'cancel') {
              const target = knownBookings.length ? knownBookings[o.booking % knownBookings.length]! : { id: 'bk_none', userId: '' };
              const res = await fetch(`${h.url}/api/bookings/${target.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${me.token}` } });
              const body = (await res.json()) as { booking?: { status: string }; error?: { code: string } };
              const code = res.ok ? 'ok' : body.error!.code;
              count(reached, 'cancel', code);
              expect(allowed.cancel, `cancel ${target.id} → ${code}`).toContain(code);
              // Someone else's booking is not found (its existence is not revealed), and nothing changes.
              expect(code, `cancel of ${target.userId === me.userId ? 'own' : "someone else's"} booking`).toBe(target.userId === me.userId ? 'ok' : 'NOT_FOUND');
              if (res.ok) cancelled.add(target.id);
              return;
            }
            const showId = showIdOf(o.show);
            let payload: unknown;
            let reusedKey: (typeof keys)[number][number] | undefined;
            if (o.kind === 'booking:confirm') {
              const mine = knownKeys[o.user]!;
              reusedKey = 'reuse' in o.key && mine.length ? mine[o.key.reuse % mine.length] : undefined;
              // A fresh key is random, and unique (fast-check repeats small strings), so any repeat is a deliberate reuse.
              const key = reusedKey?.key ?? `${'fresh' in o.key ? o.key.fresh.slice(0, 90) : 'no-key-yet'}#${++keysMade}`;
              payload = { showId, idempotencyKey: key };
            } else {
              payload = { showId, seatIds: seatsFor(o.seats, me.userId, before.get(showId) ?? []) };
            }
            const schema = { 'seat:hold': HoldRequest, 'seat:release': ReleaseRequest, 'booking:confirm': ConfirmRequest }[o.kind];
            const wellFormed = schema.safeParse(payload).success;
            const a = await ack<Answer>(me.socket, o.kind, payload);
            const code = a.ok ? 'ok' : a.error.code;
            const what = `${o.kind} ${JSON.stringify(payload).slice(0, 200)} → ${JSON.stringify(a).slice(0, 300)}`;
            if (!wellFormed) {
              count(edge, o.kind, code);
              return void expect(code, what).toBe('VALIDATION');
            }
            count(reached, o.kind, code);
            expect(allowed[o.kind], what).toContain(code);
            if (o.show === 'ghost') expect(code, what).toBe(o.kind === 'booking:confirm' && reusedKey ? 'VALIDATION' : 'NOT_FOUND');
            if (o.show === 'started' && o.kind !== 'seat:release') expect(['SHOW_CLOSED', 'VALIDATION'], what).toContain(code);
            if (o.kind === 'seat:hold' && a.ok) expect(a.seatIds as string[], what).toEqual(expect.arrayContaining((payload as { seatIds: string[] }).seatIds));
            if (o.kind === 'seat:release' && a.ok) {
              const asked = (payload as { seatIds: string[] }).seatIds;
              // A seat someone else held or booked as the batch began stays theirs unless they let it go in this batch.
              const theirs = new Map((before.get(showId) ?? []).filter((r) => r.userId !== me.userId && !actors.has(r.userId)).map((r) => [r.seatId, r]));
              for (const id of a.released as string[]) {
                expect(asked, what).toContain(id);
                expect(theirs.get(id), `${what}: released someone else's seat ${id}`).toBeUndefined();
              }
              released += (a.released as string[]).length;
            }
            if (o.kind === 'booking:confirm') {
              if (reusedKey && reusedKey.showId === showId) expect(a.ok && (a.booking as { id: string }).id, `${what}: same key, same booking`).toBe(reusedKey.bookingId);
              if (reusedKey && reusedKey.showId !== showId) expect(code, `${what}: key of another show`).toBe('VALIDATION');
              if (a.ok && !reusedKey) {
                const b = a.booking as { id: string };
                keys[o.user]!.push({ key: (payload as { idempotencyKey: string }).idempotencyKey, showId, bookingId: b.id });
                bookings.push({ id: b.id, userId: me.userId });
              }
            }
          }),
        );

        const now = h.clock.now();
        const userIds = people.map((p) => p.userId);
        for (const s of Object.values(shows)) {
          expect((await seatInvariantViolations(h.app, s.showId, userIds, now)).join('\n'), `after batch ${batches}`).toBe('');
        }
        // Nobody lost a seat to someone else's hostile payload: holds of users who only held stay theirs,
        // bookings nobody cancelled stay booked under the same booking.
        for (const [showId, records] of before) {
          const after = new Map((await state(showId)).map((r) => [r.seatId, r]));
          for (const r of records) {
            if (r.status === 'held' && actors.has(r.userId)) continue;
            if (r.status === 'booked' && cancelled.has(r.bookingId!)) continue;
            const now = after.get(r.seatId);
            expect(now && now.userId === r.userId && now.status === r.status && now.bookingId === r.bookingId, `${showId} ${r.seatId}: ${JSON.stringify(r)} became ${JSON.stringify(now)}`).toBe(true);
          }
        }
      }),
      // The store carries over from batch to batch, so shrinking a failure would replay it on another state: report it as found.
      {
        numRuns: 40,
        endOnFailure: true,
        // First, batches sure to meet each answer the minimums below name (then a hold and its release).
        examples: [
          [
            {
              holdsRunOut: false,
              ops: [
                { kind: 'seat:hold', user: 0, show: 'open', seats: { from: 'fifty' } },
                { kind: 'seat:hold', user: 1, show: 'ghost', seats: { from: 'any', picks: [0] } },
                { kind: 'seat:hold', user: 2, show: 'started', seats: { from: 'any', picks: [0] } },
                { kind: 'booking:confirm', user: 3, show: 'small', key: { fresh: 'no-holds-here' } },
                { kind: 'cancel', user: 3, booking: 0 },
              ],
            },
          ],
          [{ holdsRunOut: false, ops: [{ kind: 'seat:hold', user: 0, show: 'open', seats: { from: 'any', picks: [20, 21] } }] }],
          [{ holdsRunOut: false, ops: [{ kind: 'seat:release', user: 0, show: 'open', seats: { from: 'mine', n: 2 } }] }],
        ],
      },
    );

    const total = (m: Record<string, Record<string, number>>) => Object.values(m).reduce((n, codes) => n + Object.values(codes).reduce((a, b) => a + b, 0), 0);
    console.log(`[fuzz] hostile: ${batches} batches; reached the seat service ${total(reached)}: ${JSON.stringify(reached)}; refused at the edge ${total(edge)}: ${JSON.stringify(edge)}; seats released ${released}`);
    expect(total(reached)).toBeGreaterThanOrEqual(300);
    // Answers only the seat service gives, so these payloads got past validation and authentication.
    expect(reached['seat:hold']).toMatchObject({ ok: expect.any(Number), SEAT_TAKEN: expect.any(Number), HOLD_LIMIT: expect.any(Number), NOT_FOUND: expect.any(Number), SHOW_CLOSED: expect.any(Number) });
    expect(reached['seat:release']).toMatchObject({ ok: expect.any(Number) });
    expect(released).toBeGreaterThan(0);
    expect(reached['booking:confirm']).toMatchObject({ ok: expect.any(Number), NO_HOLDS: expect.any(Number) });
    expect(reached.cancel).toMatchObject({ ok: expect.any(Number), NOT_FOUND: expect.any(Number) });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
