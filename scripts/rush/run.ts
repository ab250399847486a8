/**
 * The release-day rush: N virtual moviegoers against a server, then a verification
 * from the server's own API. Used by `npm run rush` and by the tests.
 */
import { io, type Socket } from 'socket.io-client';
import type { Ack, Booking, HoldBestResult, HoldResult, SeatMap, Snapshot } from '../../protocol/index.js';
import { FanoutMeter, percentiles, processLabel, type Percentiles } from './fanout.js';
import { BookingWatch, drivePayment, pollConfirmed, verifyPayments, type PaymentsVerify } from './pay.js';
import { startWaiterPool } from './waiter-pool.js';
import { apiClient, must, signedIn, type Api } from './api.js';
import { DEMO_ADMIN, endQueue, openQueue, QueueMeter, staffLogin, waitForTurn, type QueueOptions, type RushQueueReport } from './queue.js';

export type RushMode = 'random' | 'best' | 'contend';
export interface RushOptions {
  /** One server, or several comma-separated (processes sharing rooms): users are spread round-robin. */
  url: string;
  show?: string;
  users: number;
  rampSeconds: number;
  durationSeconds: number;
  untilSoldOut: boolean;
  mode: RushMode;
  /** `best` mode: seats asked of `seat:hold-best` (default 2); NOT_ENOUGH_TOGETHER makes that user ask one fewer, then pick on the map. */
  count?: number;
  thinkMs: number;
  releaseChance: number;
  /** Bookings after which a virtual user stops picking seats and just watches (default 1, as a moviegoer; 0 = no limit). */
  bookingsPerUser?: number;
  password: string;
  /**
   * A confirm answered `pending_payment` is paid through the test gateway's drive routes (default true).
   * false (`--no-pay`): the user walks away; the booking expires at its deadline and is not counted as booked.
   */
  pay?: boolean;
  /** Share of payments declined once (`fail`) before they succeed (default 0). */
  declineShare?: number;
  /**
   * Through the waiting room (`--queue`): staff turn the show's queue on at this rate, every user waits
   * for a pass before the seat map and sends it with their seat events; the rush ends the queue after.
   */
  queue?: QueueOptions;
  /** Progress line every few seconds; silent when omitted. */
  progress?: (line: string) => void;
}

export interface RushReport {
  url: string;
  showId: string;
  users: number;
  mode: RushMode;
  seconds: number;
  attempts: number;
  holdsWon: number;
  seatsHeld: number;
  seatTaken: number;
  releases: number;
  /** `best` mode: how `seat:hold-best` answered (null in the other modes). */
  best: RushBest | null;
  /** Requests the server's per-socket limit turned away (RATE_LIMITED); the user waited as told and went on. */
  rateLimited: number;
  errorsByCode: Record<string, number>;
  /** Access tokens that ran out during the run and were renewed on the live socket. */
  sessionsRenewed: number;
  /** Holds and confirms answered UNAUTHENTICATED because the token ran out just before, tried again after renewing it. */
  retriedAfterRenewal: number;
  bookings: number;
  seatsSold: number;
  holdRatePerSecond: { requests: number; seats: number };
  holdLatencyMs: Percentiles;
  confirmLatencyMs: Percentiles;
  /** From the holder's `seat:hold` emit to each other user's receipt of the broadcast carrying the seat as held (per seat and watcher). */
  fanoutMs: Percentiles;
  /** The same, per process pair: "A→B" = held through the first URL, seen through the second. */
  fanoutByPair: Record<string, Percentiles>;
  /** Process labels of `fanoutByPair`, in `--url` order. */
  processes: Record<string, string>;
  /** Seats held whose own broadcast never reached their holder, so their fan-out is not in the figures. */
  fanoutUntracedSeats: number;
  /** Zeros and `gateway: null` when confirms booked at once (PAYMENT_GATEWAY=none). */
  payments: RushPayments;
  /** Through the waiting room (`queue` set); null otherwise. */
  queue: RushQueueReport | null;
  verify: {
    /** Seats in more than one live (confirmed or pending_payment) booking. */
    doubleBooked: number;
    mapMatchesBookings: boolean;
    holdsLeft: number;
    capacity: number;
    bookedInMap: number;
    /** From the server's bookings: captured payments = confirmed bookings + refunded ones. */
    payments: PaymentsVerify;
    ok: boolean;
  };
}

export interface RushBest {
  count: number;
  requests: number;
  held: number;
  /** NOT_ENOUGH_TOGETHER: that user then asked for one seat fewer (down to picking on the map). */
  notEnoughTogether: number;
  soldOut: number;
  /** Holds picked on the map after best available could not place the user (or answered SOLD_OUT while free seats showed: wheelchair spaces). */
  mapPicks: number;
}

export interface RushPayments {
  /** The gateway the bookings named (`test`), or null when no confirm waited for payment. */
  gateway: string | null;
  /** Bookings paid and seen confirmed. */
  paid: number;
  /** Payments declined once before they went through (`declineShare`). */
  declined: number;
  /** Bookings left unpaid (`pay: false`, or the gateway refused the drive). */
  unpaid: number;
  /** Paid bookings whose `booking:changed` did not come in time, found confirmed by GET /api/bookings/:id. */
  confirmedViaPoll: number;
  /** From the `booking:confirm` emit to the receipt of `booking:changed` saying confirmed (the poll's answer for the fallback). */
  confirmToBookedMs: Percentiles;
  /** Refunds on the run's bookings, as the server has them at the end. */
  refunds: number;
}

/** A virtual user's sign-in: the access token, and the refresh cookie (`mm_refresh=...`) that renews it. */
export interface VisitorSession {
  token: string;
  cookie: string;
}

/** Trades the session's refresh cookie for a new token and cookie (rotation), in place. */
async function refreshSession(api: Api, session: VisitorSession): Promise<void> {
  const next = await signedIn('POST /api/auth/refresh', api.POST('/api/auth/refresh', { headers: { cookie: session.cookie } }));
  Object.assign(session, { token: next.token, cookie: next.cookie ?? '' });
}

const seatMap = (api: Api, showId: string): Promise<SeatMap> => must(`GET /api/shows/${showId}/seats`, api.GET('/api/shows/{id}/seats', { params: { path: { id: showId } } }));

/** The first future show with the most free seats (looks at today's and tomorrow's shows). */
export async function pickShow(url: string): Promise<string> {
  const api = apiClient(url);
  const { cities } = await must('GET /api/cities', api.GET('/api/cities'));
  const candidates: { id: string; capacity: number }[] = [];
  for (const c of cities) {
    const { shows } = await must(`GET /api/shows?city=${c.id}`, api.GET('/api/shows', { params: { query: { city: c.id } } }));
    candidates.push(...shows);
  }
  if (candidates.length === 0) throw new Error('No upcoming shows today; pass --show.');
  const top = candidates.sort((a, b) => b.capacity - a.capacity).slice(0, 10);
  let best = top[0]!.id;
  let bestFree = -1;
  for (const s of top) {
    const map = await seatMap(api, s.id);
    const free = map.seats.filter((x) => x.status === 'free').length;
    if (free > bestFree) [best, bestFree] = [s.id, free];
  }
  return best;
}

export async function runRush(options: RushOptions): Promise<RushReport> {
  const urls = options.url.split(',').map((u) => u.trim().replace(/\/$/, '')).filter(Boolean);
  // HTTP (setup and verification) goes to the first server; sockets are spread over all.
  const o = { ...options, url: urls[0]! };
  const api = apiClient(o.url);
  const showId = o.show ?? (await pickShow(o.url));
  const runId = Math.random().toString(36).slice(2, 8);

  // Setup (not measured): accounts and sessions (an access token, and the refresh cookie that renews it).
  const sessions: VisitorSession[] = [];
  for (let i = 0; i < o.users; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, o.users - i) }, async (_, k) => {
        const email = `rush-${runId}-${i + k}@load.test`;
        const s = await signedIn(`POST /api/auth/register (${email})`, api.POST('/api/auth/register', { body: { name: `Rush ${i + k}`, email, password: o.password } }));
        return { token: s.token, cookie: s.cookie ?? '' };
      }),
    );
    sessions.push(...batch);
    o.progress?.(`setup: ${sessions.length}/${o.users} users signed up`);
  }

  // The waiting room (setup too): staff turn it on just before the users arrive.
  const arrival = (index: number) => (o.rampSeconds * 1000 * index) / Math.max(1, o.users);
  // Waiting users in child processes: up before the queue opens (they load TypeScript first).
  const pool =
    o.queue && (o.queue.waiterProcesses ?? 0) > 0
      ? startWaiterPool({ processes: o.queue.waiterProcesses!, url: urls[0]!, showId, sessions, delayMs: arrival, meter: () => queueMeter!, progress: o.progress })
      : null;
  await pool?.ready;
  const staffToken = o.queue ? await staffLogin(o.url, o.queue.staffEmail ?? DEMO_ADMIN.email, o.queue.staffPassword ?? DEMO_ADMIN.password) : null;
  const queueView = o.queue ? await openQueue(o.url, staffToken!, showId, o.queue) : null;
  const queueMeter = queueView ? new QueueMeter(queueView.admitPerMinute, Date.parse(queueView.opensAt)) : null;
  if (queueView) o.progress?.(`waiting room on: ${queueView.admitPerMinute}/min from ${queueView.opensAt}`);

  const stats = {
    attempts: 0,
    holdsWon: 0,
    seatsHeld: 0,
    seatTaken: 0,
    releases: 0,
    bookings: 0,
    seatsSold: 0,
    connected: 0,
    renewed: 0,
    retried: 0,
    rateLimited: 0,
    errors: {} as Record<string, number>,
    gateway: null as string | null,
    paid: 0,
    declined: 0,
    unpaid: 0,
    viaPoll: 0,
    best: { count: o.count ?? 2, requests: 0, held: 0, notEnoughTogether: 0, soldOut: 0, mapPicks: 0 } satisfies RushBest,
  };
  const confirmToBooked: number[] = [];
  const holdLatency: number[] = [];
  const confirmLatency: number[] = [];
  const fanout = new FanoutMeter();
  const bookingsSeen: Booking[] = [];
  /** The booking ids each visitor (by index) made, for the verify. */
  const madeBy = new Map<number, string[]>();
  const seats = (await seatMap(api, showId)).seats;
  const centre = { row: seats[Math.floor(seats.length / 2)]!.row, col: Math.max(...seats.map((s) => s.col)) / 2 };
  const rowIndex = new Map([...new Set(seats.map((s) => s.row))].map((r, i) => [r, i]));
  const seatInfo = new Map(seats.map((s) => [s.id, s]));
  let soldOut = false;
  const started = Date.now();
  const deadline = started + o.durationSeconds * 1000;
  // Users still trying to book; when none are left the run ends even if seats remain.
  let hunters = o.users;
  // A queued rush may be long (20k users at 600/min is 33 min): --duration bounds it, not the 15-minute guard.
  const guardMs = o.queue ? Math.max(15 * 60_000, o.durationSeconds * 1000 + 60_000) : 15 * 60_000;
  const done = () => soldOut || hunters === 0 || (!o.untilSoldOut && Date.now() >= deadline) || Date.now() >= started + guardMs;
  // One watcher of the end for every waiting user (not a timer each).
  const ended = new Promise<void>((resolve) => {
    const t = setInterval(() => done() && (clearInterval(t), resolve()), 200);
  });
  const quota = o.bookingsPerUser ?? 1;

  let lastHolds = 0;
  let lastAt = Date.now();
  const progressTimer = setInterval(() => {
    const now = Date.now();
    const rate = ((stats.holdsWon - lastHolds) * 1000) / Math.max(1, now - lastAt);
    lastHolds = stats.holdsWon;
    lastAt = now;
    const q = queueMeter?.progress();
    o.progress?.(
      `${Math.round((now - started) / 1000)}s users ${stats.connected}/${o.users}${q ? ` · waiting ${q.waiting} · admitted ${q.admitted}` : ''} · holds/s ${rate.toFixed(0)} · conflicts ${stats.seatTaken} · bookings ${stats.bookings} · seats left ${seats.length - stats.seatsSold}${stats.gateway ? ` · ${describePaying(stats, percentiles(confirmToBooked))}` : ''}${Object.keys(stats.errors).length ? ` · errors ${JSON.stringify(stats.errors)}` : ''}`,
    );
  }, 2000);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const random = Math.random;

  pool?.go(started, ended);

  async function visitor(session: VisitorSession, index: number) {
    // Waiting in a child process (the pool): the user arrives here with the pass, or not at all.
    let pass: string | null = null;
    if (pool) {
      pass = await pool.turn(index);
      if (pass === null) return void hunters--;
    } else await sleep(arrival(index));
    const proc = index % urls.length;
    const url = urls[proc]!;
    const userApi = apiClient(url);
    const socket: Socket = io(url, { auth: (cb) => cb({ token: session.token }), transports: ['websocket'], forceNew: true, reconnection: true, timeout: 60_000 });
    // Access tokens are short-lived: when the server says this one ran out, renew it in place, as the web client does:
    // one renewal at a time (a second refresh with the same cookie would be a reuse, which ends the session), and a
    // renewal turned away for now (RATE_LIMITED) is tried again a moment later.
    let renewing: Promise<void> | null = null;
    const waitOut = async (error: { code: string }) => {
      stats.rateLimited++;
      const seconds = (error as { params?: { retryAfterSeconds?: number } }).params?.retryAfterSeconds ?? 1;
      await sleep(seconds * 1000);
    };
    let leaving = false; // a user who has left needs no renewal
    const renew = async () =>
      leaving ? undefined : (renewing ??= (async () => {
        await refreshSession(userApi, session);
        for (let attempt = 1; ; attempt++) {
          const r = (await socket.timeout(30_000).emitWithAck('session:renew', { token: session.token })) as { ok: boolean; error?: { code: string; message: string } };
          if (r.ok) return void stats.renewed++;
          if (r.error?.code !== 'RATE_LIMITED' || attempt === 10) throw new Error(`session:renew refused: ${r.error?.code} ${r.error?.message}`);
          await sleep(1000);
        }
      })()
        .catch((err: Error) => (stats.errors.SESSION = (stats.errors.SESSION ?? 0) + 1, o.progress?.(`session renewal failed: ${err.message}`)))
        .finally(() => (renewing = null)));
    socket.on('session:ended', () => void renew());
    // An ack that never comes is reported as a TIMEOUT error, not a crash of the whole run.
    const emit = <T>(event: string, payload: unknown) =>
      (socket.timeout(30_000).emitWithAck(event, payload) as Promise<T>).catch(
        () => ({ ok: false, error: { code: 'TIMEOUT', message: `${event}: no answer in 30 s` } }) as T,
      );
    // Between the server ending a token and the renewal, seat events answer UNAUTHENTICATED: renew, then send it again
    // (a confirm keeps its key, so it books at most once), as the web client does. A lost release would leave seats held.
    const authed = async <T extends { ok: boolean; error?: { code: string } }>(event: string, payload: unknown): Promise<T> => {
      const first = await emit<T>(event, payload);
      if (first.ok || first.error?.code !== 'UNAUTHENTICATED') return first;
      stats.retried++;
      await renew();
      return emit<T>(event, payload);
    };
    // The server's per-socket limit is back-pressure, not a failure: wait as long as it says, then send again
    // (a release or a confirm must not be lost; a confirm keeps its key).
    const patient = async <T extends { ok: boolean; error?: { code: string } }>(event: string, payload: unknown): Promise<T> => {
      for (;;) {
        const r = await authed<T>(event, payload);
        if (r.ok || r.error?.code !== 'RATE_LIMITED') return r;
        await waitOut(r.error);
      }
    };
    // A busy server may time a connection out; the client retries. A token refused (it ran out before this user
    // arrived) is refreshed and tried again, as the web client does; refused three times over, it is fatal.
    await new Promise<void>((resolve, reject) => {
      let refreshed = 0;
      socket.once('connect', () => resolve());
      socket.on('connect_error', (err) => {
        if (err.message !== 'UNAUTHENTICATED') return;
        if (++refreshed > 3) return reject(err);
        refreshSession(userApi, session).then(() => socket.connect(), reject);
      });
    });
    stats.connected++;
    const status = new Map<string, string>();
    let changed: () => void = () => undefined;
    let unsure = false; // a confirm failed: holds may be left
    socket.on('seats:changed', (m: { version: number; changes: { seatId: string; status: string }[] }) => {
      fanout.received(index, proc, m, performance.now());
      for (const c of m.changes) status.set(c.seatId, c.status);
      changed();
    });
    const watch = new BookingWatch(socket);
    // Pays a booking waiting for payment, as a customer on the gateway's page would; true once it is seen confirmed.
    const pay = async (booking: Booking, confirmEmittedAt: number): Promise<boolean> => {
      stats.gateway = booking.payment?.gateway ?? stats.gateway;
      if (o.pay === false || !booking.payment) return (stats.unpaid++, false);
      try {
        if (random() < (o.declineShare ?? 0)) {
          await drivePayment(userApi, booking, 'fail');
          stats.declined++;
        }
        await drivePayment(userApi, booking, 'succeed');
      } catch (err) {
        stats.errors.PAYMENT_DRIVE = (stats.errors.PAYMENT_DRIVE ?? 0) + 1;
        o.progress?.(`payment of ${booking.id} failed: ${err instanceof Error ? err.message : err}`);
        return (stats.unpaid++, false);
      }
      let at = await watch.confirmed(booking.id, 10_000);
      if (at === null && (await pollConfirmed(userApi, booking.id, () => session.token, renew, Date.now() + 30_000))) {
        at = performance.now();
        stats.viaPoll++;
      }
      if (at === null) return (stats.errors.NOT_CONFIRMED = (stats.errors.NOT_CONFIRMED ?? 0) + 1, false);
      confirmToBooked.push(at - confirmEmittedAt);
      stats.paid++;
      return true;
    };
    // Through the waiting room: the pass first, then the seat map; still waiting at the end, the user just leaves.
    if (queueMeter && !pool) {
      pass = await waitForTurn(socket, showId, index, queueMeter, ended);
      if (pass === null) {
        hunters--;
        leaving = true;
        await renewing;
        socket.disconnect();
        return;
      }
    }
    const withPass = <T extends object>(payload: T) => (pass ? { ...payload, pass } : payload);
    const joined = await emit<Ack<{ snapshot: Snapshot }>>('show:join', withPass({ showId }));
    if (!joined.ok) throw new Error(`join: ${joined.error.code}`);
    for (const s of joined.snapshot.seats) if (!status.has(s.id)) status.set(s.id, s.status);

    const untilChange = () =>
      new Promise<void>((r) => {
        const t = setTimeout(r, 1000);
        changed = () => {
          clearTimeout(t);
          changed = () => undefined;
          r();
        };
      });
    const allBooked = () => [...status.values()].every((v) => v === 'booked');
    // Best available first, for `count` seats; a user it cannot place asks for fewer, then picks on the map.
    let bestCount = o.mode === 'best' ? (o.count ?? 2) : 0;
    const pick = (): string[] => {
      const free = [...status.entries()].filter(([, v]) => v === 'free').map(([k]) => k);
      if (free.length === 0) return [];
      const want = Math.min(free.length, 1 + Math.floor(random() * 4));
      if (o.mode === 'contend') return free.slice(0, want);
      if (o.mode === 'best') {
        const score = (id: string) => {
          const s = seatInfo.get(id)!;
          return Math.abs(rowIndex.get(s.row)! - rowIndex.get(centre.row)!) * 3 + Math.abs(s.col - centre.col);
        };
        return free.sort((a, b) => score(a) - score(b)).slice(0, want);
      }
      const picks = new Set<string>();
      while (picks.size < want) picks.add(free[Math.floor(random() * free.length)]!);
      return [...picks];
    };

    let bookedCount = 0;
    while (!done() && (quota === 0 || bookedCount < quota)) {
      const viaBest = bestCount > 0;
      const wanted = viaBest ? [] : pick();
      if (!viaBest && wanted.length === 0) {
        if (allBooked()) {
          soldOut = true;
          break;
        }
        await untilChange();
        continue;
      }
      stats.attempts++;
      const t0 = performance.now();
      // Best available's seats are known only from its ack, which follows their broadcast: its fan-out is not traced.
      if (!viaBest) fanout.requested(index, proc, wanted, t0);
      const held = viaBest
        ? (stats.best.requests++, await authed<Ack<HoldBestResult>>('seat:hold-best', withPass({ showId, count: bestCount })))
        : await authed<Ack<HoldResult>>('seat:hold', withPass({ showId, seatIds: wanted }));
      holdLatency.push(performance.now() - t0);
      if (!viaBest) fanout.acked(index, wanted, held.ok);
      if (!held.ok) {
        if (held.error.code === 'RATE_LIMITED') await waitOut(held.error);
        else if (viaBest && held.error.code === 'NOT_ENOUGH_TOGETHER') {
          stats.best.notEnoughTogether++;
          bestCount--;
        } else if (viaBest && held.error.code === 'SOLD_OUT') {
          stats.best.soldOut++;
          if (allBooked()) {
            soldOut = true;
            break;
          }
          // Free seats best available will not give (wheelchair spaces): pick on the map. None: held ones may come free.
          if ([...status.values()].includes('free')) bestCount = 0;
          else await untilChange();
        }
        else if (held.error.code === 'SEAT_TAKEN') {
          stats.seatTaken++;
          // As the web client does: the seats named are taken, whatever the broadcast says yet.
          for (const id of (held.error as { seatIds?: string[] }).seatIds ?? []) if (status.get(id) === 'free') status.set(id, 'held');
        }
        else stats.errors[held.error.code] = (stats.errors[held.error.code] ?? 0) + 1;
        continue;
      }
      stats.holdsWon++;
      queueMeter?.held(index);
      const got: string[] = 'chosen' in held ? (held as HoldBestResult).chosen : wanted;
      stats.seatsHeld += got.length;
      if (viaBest) stats.best.held++;
      else if (o.mode === 'best') stats.best.mapPicks++;
      if (o.thinkMs > 0) await sleep(random() * o.thinkMs);
      if (random() < o.releaseChance || done()) {
        await patient('seat:release', { showId, seatIds: held.seatIds });
        stats.releases++;
        continue;
      }
      const t1 = performance.now();
      const booked = await patient<Ack<{ booking: Booking }>>('booking:confirm', withPass({ showId, idempotencyKey: `rush-${runId}-${index}-${stats.attempts}` }));
      confirmLatency.push(performance.now() - t1);
      if (booked.ok) {
        bookedCount++;
        if (o.mode === 'best') bestCount = o.count ?? 2; // the next booking starts with best available again
        if (booked.booking.status === 'pending_payment' && !(await pay(booked.booking, t1))) continue;
        stats.bookings++;
        stats.seatsSold += booked.booking.seats.length;
        bookingsSeen.push(booked.booking);
        madeBy.set(index, [...(madeBy.get(index) ?? []), booked.booking.id]);
      } else {
        stats.errors[booked.error.code] = (stats.errors[booked.error.code] ?? 0) + 1;
        unsure = true;
      }
    }
    // Booked: keep watching (fan-out is measured at every watcher) until the run ends.
    hunters--;
    // A queued rush can outlast thousands of admitted users: done, they leave (else each stays a socket here).
    while (!done() && !o.queue) {
      if ([...status.values()].every((v) => v === 'booked')) soldOut = true;
      else await sleep(500);
    }
    // Abandoned holds (a failed confirm) are released, as a person leaving the page would.
    if (unsure) {
      const snap = await authed<Ack<{ snapshot: Snapshot }>>('show:join', withPass({ showId }));
      if (snap.ok && snap.snapshot.mine?.seatIds.length) await patient('seat:release', { showId, seatIds: snap.snapshot.mine.seatIds });
    }
    leaving = true;
    await renewing; // a renewal under way finishes first: its refresh must not race the verification's
    socket.disconnect();
  }

  await Promise.all(sessions.map((session, i) => visitor(session, i)));
  await pool?.close();
  if (pool?.errors) stats.errors.QUEUE_WAIT = pool.errors;
  clearInterval(progressTimer);
  const seconds = (Date.now() - started) / 1000;
  const fan = fanout.report();
  // Everyone has left: the queue the rush turned on is ended (those still in line are let through, to no one).
  const queueEnd = queueView ? await endQueue(o.url, staffToken!, showId) : null;

  // Verify from the server's own API: every user's bookings and the seat map.
  const ofShow: Booking[] = [];
  for (let i = 0; i < sessions.length; i += 25) {
    const lists = await Promise.all(
      sessions.slice(i, i + 25).map(async (session, j) => {
        await refreshSession(api, session); // the run may have outlived the access token
        const headers = { authorization: `Bearer ${session.token}` };
        const listed = await must('GET /api/bookings', api.GET('/api/bookings', { headers }));
        // The list comes from an index that on AWS may lag the last second's bookings; the
        // ones this visitor made and the list lacks are read one by one (consistently).
        const missing = (madeBy.get(i + j) ?? []).filter((id) => !listed.bookings.some((b) => b.id === id));
        for (const id of missing) {
          const { booking } = await must('GET /api/bookings/{id}', api.GET('/api/bookings/{id}', { params: { path: { id } }, headers }));
          listed.bookings.push(booking);
        }
        return listed;
      }),
    );
    for (const l of lists) ofShow.push(...l.bookings.filter((b) => b.showId === showId));
  }
  // A booking waiting for payment holds its seats as firmly as a confirmed one; unpaid, it is not counted as booked.
  const all = ofShow.filter((b) => b.status === 'confirmed');
  const live = ofShow.filter((b) => b.status === 'confirmed' || b.status === 'pending_payment');
  const counts = new Map<string, number>();
  for (const b of live) for (const s of b.seats) counts.set(s, (counts.get(s) ?? 0) + 1);
  const paymentsVerify = verifyPayments(ofShow);
  const map = await seatMap(api, showId);
  const bookedInMap = map.seats.filter((s) => s.status === 'booked').map((s) => s.id);
  const doubleBooked = [...counts.values()].filter((n) => n > 1).length;
  // Seats booked by anyone outside this run are not in our union; compare on ours.
  const ours = new Set(all.flatMap((b) => b.seats));
  const mapMatchesBookings = [...ours].every((id) => bookedInMap.includes(id)) && all.length === stats.bookings;
  const holdsLeft = map.seats.filter((s) => s.status === 'held').length;

  return {
    url: urls.join(','),
    showId,
    users: o.users,
    mode: o.mode,
    best: o.mode === 'best' ? stats.best : null,
    seconds: Math.round(seconds * 10) / 10,
    attempts: stats.attempts,
    holdsWon: stats.holdsWon,
    seatsHeld: stats.seatsHeld,
    seatTaken: stats.seatTaken,
    releases: stats.releases,
    rateLimited: stats.rateLimited,
    errorsByCode: stats.errors,
    sessionsRenewed: stats.renewed,
    retriedAfterRenewal: stats.retried,
    bookings: stats.bookings,
    seatsSold: stats.seatsSold,
    holdRatePerSecond: {
      requests: Math.round((stats.attempts / seconds) * 10) / 10,
      seats: Math.round((stats.seatsHeld / seconds) * 10) / 10,
    },
    holdLatencyMs: percentiles(holdLatency),
    confirmLatencyMs: percentiles(confirmLatency),
    fanoutMs: fan.overall,
    fanoutByPair: fan.byPair,
    processes: Object.fromEntries(urls.map((u, i) => [processLabel(i), u])),
    fanoutUntracedSeats: fan.untracedSeats,
    payments: {
      gateway: stats.gateway,
      paid: stats.paid,
      declined: stats.declined,
      unpaid: stats.unpaid,
      confirmedViaPoll: stats.viaPoll,
      confirmToBookedMs: percentiles(confirmToBooked),
      refunds: ofShow.reduce((n, b) => n + (b.payment?.refunds.length ?? 0), 0),
    },
    queue: queueMeter ? queueMeter.report(percentiles(holdLatency), queueEnd!) : null,
    verify: {
      doubleBooked,
      mapMatchesBookings,
      holdsLeft,
      capacity: map.seats.length,
      bookedInMap: bookedInMap.length,
      payments: paymentsVerify,
      ok: doubleBooked === 0 && mapMatchesBookings && holdsLeft === 0 && paymentsVerify.ok,
    },
  };
}

/** One line: overall fan-out and each process pair, e.g. `p50 12 / p95 40 / p99 80 (n 5000); A→B p99 95`. */
export function describeFanout(r: Pick<RushReport, 'fanoutMs' | 'fanoutByPair'>): string {
  const f = (p: Percentiles) => `p50 ${p.p50} / p95 ${p.p95} / p99 ${p.p99} / max ${p.max} (n ${p.n})`;
  const pairs = Object.entries(r.fanoutByPair);
  return `${f(r.fanoutMs)}${pairs.length > 1 ? `; ${pairs.map(([k, p]) => `${k} ${f(p)}`).join('; ')}` : ''}`;
}

/** One line: what was paid and the confirm-to-booked latency, e.g. `paid 95 (declined once 9, unpaid 0) · confirm→booked ms p50 40 / ...`. */
export function describePaying(p: Pick<RushPayments, 'paid' | 'declined' | 'unpaid'>, confirmToBookedMs: Percentiles): string {
  const c = confirmToBookedMs;
  return `paid ${p.paid} (declined once ${p.declined}, unpaid ${p.unpaid}) · confirm→booked ms p50 ${c.p50} / p95 ${c.p95} / p99 ${c.p99} / max ${c.max} (n ${c.n})`;
}

export interface MultiRushReport {
  shows: RushReport[];
  totals: {
    users: number;
    attempts: number;
    holdsWon: number;
    seatTaken: number;
    bookings: number;
    seatsSold: number;
    worstHoldP99Ms: number;
    worstFanoutP99Ms: number;
    paid: number;
    declined: number;
    unpaid: number;
    worstConfirmToBookedP99Ms: number;
  };
  verify: { doubleBooked: number; holdsLeft: number; ok: boolean };
}

/** Several shows at once: the users are split evenly, each show is run and verified on its own. */
export async function runRushOnShows(o: RushOptions & { showIds: string[] }): Promise<MultiRushReport> {
  const n = o.showIds.length;
  const shows = await Promise.all(
    o.showIds.map((show, i) =>
      runRush({
        ...o,
        show,
        users: Math.floor(o.users / n) + (i < o.users % n ? 1 : 0),
        progress: o.progress && ((line) => o.progress!(`[${show}] ${line}`)),
      }),
    ),
  );
  const sum = (f: (r: RushReport) => number) => shows.reduce((a, r) => a + f(r), 0);
  return {
    shows,
    totals: {
      users: sum((r) => r.users),
      attempts: sum((r) => r.attempts),
      holdsWon: sum((r) => r.holdsWon),
      seatTaken: sum((r) => r.seatTaken),
      bookings: sum((r) => r.bookings),
      seatsSold: sum((r) => r.seatsSold),
      worstHoldP99Ms: Math.max(...shows.map((r) => r.holdLatencyMs.p99)),
      worstFanoutP99Ms: Math.max(...shows.map((r) => r.fanoutMs.p99)),
      paid: sum((r) => r.payments.paid),
      declined: sum((r) => r.payments.declined),
      unpaid: sum((r) => r.payments.unpaid),
      worstConfirmToBookedP99Ms: Math.max(...shows.map((r) => r.payments.confirmToBookedMs.p99)),
    },
    verify: { doubleBooked: sum((r) => r.verify.doubleBooked), holdsLeft: sum((r) => r.verify.holdsLeft), ok: shows.every((r) => r.verify.ok) },
  };
}
