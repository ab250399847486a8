/**
 * `npm run rush -- --queue` through the real runner: the rush turns the show's waiting room on,
 * every virtual user waits for a pass, holds and books with it, and the rush ends the queue.
 * The waiting room's ticker runs on the wall clock here, as on a server: admission is timed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRush } from '../../scripts/rush/run.js';
import { createShow } from '../support/fixtures.js';
import { startHarness, TestClock, type Harness } from '../support/harness.js';
import { mapVersusBookings } from '../support/invariants.js';

/** The wall clock: the waiting room admits by it, once a second. */
class WallClock extends TestClock {
  override now = () => Date.now();
}

let h: Harness;
const admin = { email: `queue-admin-${Date.now()}@test.example`, password: 'correct horse battery' };
beforeAll(async () => {
  // Per-socket limits lifted, as on a load-test rig (see rush.test.ts).
  h = await startHarness({ clock: new WallClock(), config: { limits: { authPerIp: null, seatEventsPerSocket: null }, queue: { intervalMs: 1000 } } });
  const r = await h.app.services.auth.register({ name: 'Queue Admin', ...admin }, 'admin', []);
  if (!r.ok) throw new Error('admin account');
});
afterAll(() => h.close());

it('60 users through a 600/min waiting room: all admitted no faster than the rate, each books with the pass, nothing left held, queue ended', async () => {
  const show = await createShow(h.app.stores.catalog, { now: Date.now(), rows: 20, perRow: 20 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 60,
    rampSeconds: 1,
    durationSeconds: 60,
    untilSoldOut: false,
    mode: 'random',
    thinkMs: 20,
    releaseChance: 0.2,
    password: 'rush-password-123',
    queue: { admitPerMinute: 600, staffEmail: admin.email, staffPassword: admin.password },
  });
  const q = report.queue!;
  console.log(`[rush queue] ${JSON.stringify({ seconds: report.seconds, queue: q, bookings: report.bookings, errors: report.errorsByCode })}`);
  // A hold without a valid pass would have answered QUEUE_REQUIRED.
  expect(report.errorsByCode).toEqual({});
  expect(q).toMatchObject({ joined: 60, admitted: 60, stillWaiting: 0, admittedHolding: 60, aheadOfSchedule: 0, ended: true, admitPerMinute: 600 });
  expect(q.timeInQueueMs.n).toBe(60);
  // 60 users arriving within a second at 10 a second: about 6 s of admissions, never faster than the rate.
  expect(q.admittedPerMinute).toBeLessThanOrEqual(600 * 1.05);
  expect(q.admissionSeconds).toBeGreaterThanOrEqual(4.5);
  expect(report.bookings).toBe(60);
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, ok: true });
  expect(await h.app.services.waitingRoom.view(show.showId)).toBeNull();
  const own = await mapVersusBookings(h.url, h.app, show.showId, { noHolds: true });
  expect(own.violations).toEqual([]);
});

it('a run that ends (--duration) with users still in line counts them as waiting and still ends the queue', async () => {
  const show = await createShow(h.app.stores.catalog, { now: Date.now(), rows: 10, perRow: 10 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 30,
    rampSeconds: 0,
    durationSeconds: 3,
    untilSoldOut: false,
    mode: 'best',
    count: 2,
    thinkMs: 20,
    releaseChance: 0,
    password: 'rush-password-123',
    queue: { admitPerMinute: 120, staffEmail: admin.email, staffPassword: admin.password },
  });
  const q = report.queue!;
  console.log(`[rush queue, cut short] ${JSON.stringify({ seconds: report.seconds, queue: q })}`);
  // 2 a second for about 3 s: a handful admitted, the rest still waiting.
  expect(q.joined).toBe(30);
  expect(q.admitted).toBeGreaterThan(0);
  expect(q.admitted).toBeLessThanOrEqual(12);
  expect(q.stillWaiting).toBe(30 - q.admitted);
  expect(q.aheadOfSchedule).toBe(0);
  // The ticker goes on admitting while the users leave; the end lets the rest through.
  expect(q.ended).toBe(true);
  expect(q.endAdmitted).toBeGreaterThan(0);
  expect(q.endAdmitted).toBeLessThanOrEqual(q.stillWaiting);
  expect(report.errorsByCode).toEqual({});
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, ok: true });
});

it('waiting users held in child processes (--waiter-processes 2): all admitted with their passes, book here, nothing left held', async () => {
  const show = await createShow(h.app.stores.catalog, { now: Date.now(), rows: 15, perRow: 20 });
  const report = await runRush({
    url: h.url,
    show: show.showId,
    users: 40,
    rampSeconds: 1,
    durationSeconds: 60,
    untilSoldOut: false,
    mode: 'random',
    thinkMs: 20,
    releaseChance: 0.2,
    password: 'rush-password-123',
    queue: { admitPerMinute: 300, staffEmail: admin.email, staffPassword: admin.password, waiterProcesses: 2 },
  });
  const q = report.queue!;
  console.log(`[rush queue, 2 waiter processes] ${JSON.stringify({ seconds: report.seconds, queue: q, errors: report.errorsByCode })}`);
  expect(report.errorsByCode).toEqual({});
  expect(q).toMatchObject({ joined: 40, admitted: 40, stillWaiting: 0, admittedHolding: 40, aheadOfSchedule: 0, ended: true });
  expect(q.positionUpdates).toBeGreaterThan(0);
  expect(report.bookings).toBe(40);
  expect(report.verify).toMatchObject({ doubleBooked: 0, holdsLeft: 0, mapMatchesBookings: true, ok: true });
});
