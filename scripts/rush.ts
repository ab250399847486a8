/**
 * npm run rush -- [--url http://localhost:3000] [--show ID[,ID...]] [--users 100] [--ramp 10]
 *                 [--duration 60] [--until-sold-out] [--mode random|best|contend] [--count 2]
 *                 [--think 300] [--release 0.2] [--bookings-per-user 1 (0 = keep booking)]
 *                 [--no-pay] [--decline 0.1] [--json report.json] [--metrics [--metrics-token T]]
 *                 [--queue [--admit-per-minute 600] [--opens-in S] [--staff-email E --staff-password P]]
 * `--queue`: through the waiting room. The rush logs in as staff (default: the demo admin of the embedded
 * store), turns the show's queue on (PUT /api/staff/shows/:id/queue) at `--admit-per-minute`, opening in
 * `--opens-in` seconds (a pre-queue, shuffled at opening; default: open now); each user `queue:join`s, waits
 * for the pass (ack or `queue:admitted`), then joins the show and holds with it. Reported under `queue`:
 * time in queue, admission rate achieved vs set, hold acks of admitted users, still waiting at the end
 * (`--duration` stops a long queue: 20k users at 600/min take 33 min). The rush ends the queue (DELETE) after.
 * `--mode best`: each user asks `seat:hold-best` for `--count` seats (1-10); told NOT_ENOUGH_TOGETHER, one
 * fewer, and at none left (or SOLD_OUT while free seats show, such as wheelchair spaces), picks on the map near the centre. Simulates a release-day rush, prints progress and a report, then verifies the outcome
 * from the server's API. A booking that waits for payment (PAYMENT_GATEWAY=test, the default)
 * is paid through the test gateway's drive routes (`--decline`: that share is declined once
 * first); confirm-to-booked is timed from the `booking:confirm` emit to the `booking:changed`
 * that says confirmed. `--no-pay` leaves them unpaid (they expire; not counted as booked). Fan-out is timed from a holder's `seat:hold` emit to each other
 * user's receipt of the broadcast (per process pair with several --url). Exits 1 when a seat is double-booked, the map disagrees with the
 * bookings, holds are left, or captured payments are not confirmed bookings + refunds. Run the server with BCRYPT_COST=4 for big user counts.
 */
import { writeFileSync } from 'node:fs';
import { describeFanout, describePaying, runRush, runRushOnShows, type RushMode } from './rush/run.js';
import { describeServerFigures, scrapeServers, serverFigures } from './rush/server-metrics.js';

const argv = process.argv.slice(2);
const HELP = `npm run rush -- [options]
  --url URL[,URL...]      server(s) (default http://localhost:3000); users are spread round-robin
  --show ID[,ID...]       show(s) (default: the first future show with the most free seats); several split the users
  --users N               virtual users (default 100); signed up first (not measured)
  --ramp S                seconds over which they arrive (default 10)
  --duration S            stop after S seconds (default 60) and report what was measured
  --until-sold-out        run until sold out instead of --duration
  --mode random|best|contend   how users pick seats (default random); best: seat:hold-best for --count
  --count N               best mode: seats asked (1-10, default 2)
  --think MS              up to this long between hold and confirm (default 300)
  --release P             share of holds released instead of confirmed (default 0.2)
  --bookings-per-user N   bookings after which a user just watches (default 1; 0 = keep booking)
  --no-pay                leave bookings waiting for payment unpaid
  --decline P             share of payments declined once first (default 0)
  --json FILE             write the report there too
  --metrics               scrape every server's /metrics before and after; print its figures (ack p99 per event,
                          store throttles, outbox lag, fan-out) next to the client-side ones
  --metrics-token T       bearer token for /metrics from another host (default: METRICS_TOKEN)
 waiting room:
  --queue                 turn the show's waiting room on (staff login), queue every user, hold with the pass; ended after
  --admit-per-minute N    admission rate set (default 600)
  --opens-in S            open in S seconds: a pre-queue, shuffled at the opening (default 0: open now)
  --staff-email E         staff or admin who may manage the show (default the embedded store's demo admin)
  --staff-password P      (default the demo password)
  --waiter-processes N    child processes holding the waiting sockets (default: 0 up to 2000 users, else one per 5000);
                          admitted users come back to this process for the seat map; booked, they leave
  Reported under "queue": time in queue p50/p99, admissions per minute achieved vs set, admitted users'
  hold ack p50/p99, users still waiting at the end. 20k users at 600/min take 33 min: use --duration.
  Run the server with BCRYPT_COST=4 (and LOAD_TEST=1) for big user counts.
Exits 1 when a seat is double-booked, the map disagrees with the bookings, holds are left, or payments do not add up.`;
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const arg = (name: string, def?: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[i + 1]! : def;
};
const mode = (arg('mode', 'random') as RushMode);
if (!['random', 'best', 'contend'].includes(mode)) {
  console.error('--mode must be random, best or contend');
  process.exit(2);
}
const count = Number(arg('count', '2'));
if (!(Number.isInteger(count) && count >= 1 && count <= 10)) {
  console.error('--count must be a whole number from 1 to 10');
  process.exit(2);
}
const queued = argv.includes('--queue');
const admitPerMinute = Number(arg('admit-per-minute', '600'));
const opensIn = Number(arg('opens-in', '0'));
if (queued && !(Number.isInteger(admitPerMinute) && admitPerMinute >= 1 && admitPerMinute <= 100_000)) {
  console.error('--admit-per-minute must be a whole number from 1 to 100000');
  process.exit(2);
}
if (queued && !(opensIn >= 0)) {
  console.error('--opens-in must be seconds from now (0 or more)');
  process.exit(2);
}
// Up to 2000 waiting users fit in this process; more are spread over child processes of 5000 each.
const users = Number(arg('users', '100'));
const defaultWaiterProcesses = users > 2000 ? Math.ceil(users / 5000) : 0;
const declineShare = Number(arg('decline', '0'));
if (!(declineShare >= 0 && declineShare <= 1)) {
  console.error('--decline must be a share between 0 and 1');
  process.exit(2);
}
const options = {
  url: (arg('url', 'http://localhost:3000') as string).replace(/\/$/, ''),
  show: arg('show'),
  users,
  rampSeconds: Number(arg('ramp', '10')),
  durationSeconds: Number(arg('duration', '60')),
  untilSoldOut: argv.includes('--until-sold-out'),
  mode,
  count,
  thinkMs: Number(arg('think', '300')),
  releaseChance: Number(arg('release', '0.2')),
  bookingsPerUser: Number(arg('bookings-per-user', '1')),
  pay: !argv.includes('--no-pay'),
  declineShare,
  password: 'rush-password-123',
  ...(queued
    ? {
        queue: {
          admitPerMinute,
          opensInSeconds: opensIn,
          staffEmail: arg('staff-email'),
          staffPassword: arg('staff-password'),
          waiterProcesses: Number(arg('waiter-processes', String(defaultWaiterProcesses))),
        },
      }
    : {}),
  progress: (line: string) => console.log(line),
};
console.log(`rush: ${options.users} users over ${options.rampSeconds}s against ${options.url}, mode ${mode}${mode === 'best' ? ` (${count} seats)` : ''}, ${options.untilSoldOut ? 'until sold out' : `${options.durationSeconds}s`}${queued ? `, through the waiting room at ${admitPerMinute}/min` : ''}`);
const showIds = options.show?.split(',').filter(Boolean) ?? [];
if (showIds.length > 1) {
  // Several shows at once: users split evenly, each show verified on its own.
  try {
    const multi = await runRushOnShows({ ...options, showIds });
    console.log(JSON.stringify(multi, null, 2));
    const json = arg('json');
    if (json) writeFileSync(json, JSON.stringify(multi, null, 2));
    const t = multi.totals;
    if (multi.shows.some((r) => r.payments.gateway)) console.log(`paid ${t.paid} (declined once ${t.declined}, unpaid ${t.unpaid}); worst confirm→booked p99 ${t.worstConfirmToBookedP99Ms} ms`);
    console.log(`shows: ${showIds.length}, doubleBooked: ${multi.verify.doubleBooked}, holdsLeft: ${multi.verify.holdsLeft}, all verified: ${multi.verify.ok}`);
    process.exit(multi.verify.ok ? 0 : 1);
  } catch (err) {
    console.error(`rush failed: ${err instanceof Error ? err.message : err}`);
    process.exit(2);
  }
}
const withMetrics = argv.includes('--metrics');
const metricsToken = arg('metrics-token', process.env.METRICS_TOKEN);
const serverUrls = options.url.split(',');
try {
  const metricsBefore = withMetrics ? await scrapeServers(serverUrls, metricsToken) : '';
  const report = await runRush(options);
  const metricsAfter = withMetrics ? await scrapeServers(serverUrls, metricsToken) : '';
  console.log(JSON.stringify(report, null, 2));
  const json = arg('json');
  if (json) writeFileSync(json, JSON.stringify(report, null, 2));
  console.log(`fan-out ms (hold request to another user's screen): ${describeFanout(report)}`);
  const q = report.queue;
  if (q) {
    const w = q.timeInQueueMs;
    console.log(`waiting room: ${q.joined} joined, ${q.admitted} admitted, ${q.stillWaiting} still waiting at the end; time in queue ms p50 ${w.p50} / p99 ${w.p99} (n ${w.n})`);
    console.log(`  admitted ${q.admittedPerMinute}/min over ${q.admissionSeconds} s (set ${q.admitPerMinute}/min; ahead of schedule at most ${q.aheadOfSchedule}; at most ${q.maxAdmittedInASecond} in one second); admitted users' hold ack ms p50 ${q.admittedHoldAckMs.p50} / p99 ${q.admittedHoldAckMs.p99}; ${q.admittedHolding} held seats`);
    console.log(`  queue ended: ${q.ended} (${q.endAdmitted} let through at the end); ${q.positionUpdates} position updates received`);
  }
  const b = report.best;
  if (b) console.log(`best available (${b.count} seats): ${b.requests} requests, ${b.held} held, ${b.notEnoughTogether} NOT_ENOUGH_TOGETHER (asked fewer), ${b.soldOut} SOLD_OUT, ${b.mapPicks} picked on the map`);
  const p = report.payments;
  const v = report.verify.payments;
  if (p.gateway) {
    console.log(`payments (${p.gateway} gateway): ${describePaying(p, p.confirmToBookedMs)}${p.confirmedViaPoll ? `, ${p.confirmedViaPoll} found by polling` : ''}`);
    console.log(`captured ${v.captured} = confirmed ${v.confirmed} + refunded ${v.refunded}: ${v.ok}; pending ${v.pending}, expired ${v.expired}, refunds ${p.refunds}`);
  } else console.log('payments: none (confirm booked at once: PAYMENT_GATEWAY=none)');
  if (withMetrics) {
    for (const line of describeServerFigures(serverFigures(metricsBefore, metricsAfter), { holdP99Ms: report.holdLatencyMs.p99, confirmP99Ms: report.confirmLatencyMs.p99 })) console.log(line);
  }
  console.log(`doubleBooked: ${report.verify.doubleBooked}, holdsLeft: ${report.verify.holdsLeft}, map matches bookings: ${report.verify.mapMatchesBookings}`);
  process.exit(report.verify.ok ? 0 : 1);
} catch (err) {
  console.error(`rush failed: ${err instanceof Error ? err.message : err}`);
  process.exit(2);
}
