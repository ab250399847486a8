/**
 * Artillery processor for booking.yml (socketio engine): per-event ack timers and outcome
 * counters, seat picking from a live seat map, and a watchdog for acks that never come.
 * Plain CommonJS so every Artillery 2 release loads it. See README.md next to this file.
 *
 * Metrics it adds to Artillery's report (custom metrics, next to socketio.* and http.*):
 *   mm.<event>.ack_ms          histogram: emit to ack, per event (join, hold, confirm, renew)
 *   mm.<event>.ok              counter: acks with {ok: true}
 *   mm.<event>.<CODE>          counter: acks with {ok: false, error: {code}} (SEAT_TAKEN, ...);
 *                              Artillery itself counts these as successes
 *   mm.<event>.no_ack_<N>s     counter: no ack within ACK_WATCHDOG_SECONDS (default 10); the
 *                              engine has no ack timeout, so that virtual user waits on
 *   mm.booking.seats           counter: seats booked
 */
'use strict';

const WATCHDOG_MS = Number(process.env.ACK_WATCHDOG_SECONDS || 10) * 1000;
const SEATS_PER_BOOKING = Number(process.env.SEATS_PER_BOOKING || 2);
const HOLD_TRIES = Number(process.env.HOLD_TRIES || 3);

let showPick = null; // one show per Artillery worker, chosen once

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return res.json();
}

/** SHOW_ID, else the upcoming show with the most free seats (as `npm run rush` picks). */
async function pickShow(target) {
  if (process.env.SHOW_ID) return process.env.SHOW_ID;
  const { cities } = await getJson(`${target}/api/cities`);
  const shows = [];
  for (const c of cities) shows.push(...(await getJson(`${target}/api/shows?city=${encodeURIComponent(c.id)}`)).shows);
  if (shows.length === 0) throw new Error('no upcoming shows: set SHOW_ID');
  let best = null;
  for (const s of shows.sort((a, b) => b.capacity - a.capacity).slice(0, 10)) {
    const map = await getJson(`${target}/api/shows/${s.id}/seats`);
    const free = map.seats.filter((x) => x.status === 'free').length;
    if (!best || free > best.free) best = { id: s.id, free };
  }
  return best.id;
}

function chooseShow(context, events, done) {
  showPick ??= pickShow(context.vars.target.replace(/\/$/, ''));
  showPick.then(
    (id) => {
      context.vars.showId = id;
      done();
    },
    (err) => done(err),
  );
}

/** A fresh account per virtual user (the server's per-user limits are per account). */
function newVisitor(context, events, done) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  context.vars.name = `Artillery ${id}`;
  context.vars.email = `artillery-${id}@load.test`;
  context.vars.password = 'artillery-password-123';
  context.vars.idempotencyKey = `artillery-${id}`;
  done();
}

/** Keeps context.seats (seat id -> status) current from the default socket's seats:changed. */
function watchSeats(context, events, done) {
  const socket = context.sockets && context.sockets[''];
  if (!socket) return done(new Error('no socket: run this after the first emit'));
  context.seats = context.seats || new Map();
  socket.on('seats:changed', (m) => {
    for (const c of m.changes) context.seats.set(c.seatId, c.status);
  });
  done();
}

/** Call right before an emit step; the record* function after it stops the timer. */
function startTimer(context, events, done) {
  const started = process.hrtime.bigint();
  context.vars.$ackStarted = started;
  const event = context.vars.$nextEvent || 'emit';
  context.vars.$watchdog = setTimeout(() => events.emit('counter', `mm.${event}.no_ack_${WATCHDOG_MS / 1000}s`, 1), WATCHDOG_MS);
  done();
}

function record(event, context, events) {
  clearTimeout(context.vars.$watchdog);
  const ms = Number(process.hrtime.bigint() - context.vars.$ackStarted) / 1e6;
  events.emit('histogram', `mm.${event}.ack_ms`, ms);
  const ack = context.vars.ack;
  const outcome = ack && ack.ok === true ? 'ok' : (ack && ack.error && ack.error.code) || 'NO_ACK_BODY';
  events.emit('counter', `mm.${event}.${outcome}`, 1);
  context.vars.lastError = outcome === 'ok' ? null : outcome;
  context.vars.ack = undefined;
  return ack && ack.ok === true ? ack : null;
}

const timer = (event) => (context, events, done) => {
  context.vars.$nextEvent = event;
  startTimer(context, events, done);
};

function recordRenew(context, events, done) {
  const ok = record('renew', context, events);
  done(ok ? undefined : new Error('session:renew refused: the socket is still anonymous'));
}

function recordJoin(context, events, done) {
  const ok = record('join', context, events);
  if (!ok) return done(new Error('show:join refused'));
  for (const s of ok.snapshot.seats) if (!context.seats.has(s.id)) context.seats.set(s.id, s.status);
  context.vars.holdTries = 0;
  context.vars.held = false;
  done();
}

/** Random free seats from the live map (SEATS_PER_BOOKING of them). */
function pickSeats(context, events, done) {
  const free = [...context.seats.entries()].filter(([, v]) => v === 'free').map(([k]) => k);
  const picks = new Set();
  while (picks.size < Math.min(SEATS_PER_BOOKING, free.length)) picks.add(free[Math.floor(Math.random() * free.length)]);
  context.vars.seatIds = [...picks];
  context.vars.holdTries++;
  done();
}

function recordHold(context, events, done) {
  const ack = record('hold', context, events);
  context.vars.held = !!ack;
  if (!ack && context.vars.lastError === 'SEAT_TAKEN') for (const id of context.vars.seatIds) context.seats.set(id, 'held');
  done();
}

/** whileTrue of the hold loop: try again with other seats, up to HOLD_TRIES times. */
function holdAgain(context, next) {
  const again = !context.vars.held && context.vars.holdTries < HOLD_TRIES && context.vars.seatIds.length > 0;
  context.vars.confirms = context.vars.held ? 1 : 0;
  next(again);
}

function recordConfirm(context, events, done) {
  const ack = record('confirm', context, events);
  if (ack) events.emit('counter', 'mm.booking.seats', ack.booking.seats.length);
  // A failed confirm leaves holds: release them, as a person leaving the page would.
  context.vars.releases = ack ? 0 : 1;
  done();
}

function recordRelease(context, events, done) {
  record('release', context, events);
  done();
}

module.exports = {
  chooseShow,
  newVisitor,
  watchSeats,
  startTimer,
  timeRenew: timer('renew'),
  timeJoin: timer('join'),
  timeHold: timer('hold'),
  timeConfirm: timer('confirm'),
  timeRelease: timer('release'),
  recordRenew,
  recordJoin,
  pickSeats,
  recordHold,
  holdAgain,
  recordConfirm,
  recordRelease,
};
