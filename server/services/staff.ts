/**
 * Theatre staff: occupancy, schedule and layout management, reports. Every method
 * takes the caller's principal and checks role and theatre first (403 otherwise).
 */
import type { CreateShowRequest, Layout, Occupancy, ReportRow, StaffShow, UpdateShowRequest } from '../../protocol/index.js';
import { statusOfEntry as statusOf } from '../domain/seat-state.js';
import { layoutProblems, seatsOf, type Finding } from '../domain/layout.js';
import { fail, ok, type Result } from '../domain/result.js';
import { droppedBookedSeats, scheduleProblems } from '../domain/schedule.js';
import { addDays, formatInZone, localDate, zonedToUtc } from '../domain/show-time.js';
import type { BookingStore, CatalogStore, Clock, SeatRecord, SeatStore, ShowRecord } from '../ports.js';
import type { Principal } from './auth.js';
import type { Catalog } from './catalog.js';
import type { SeatService } from './seats/index.js';

export function canManageTheatre(p: Principal, theatreId: string): boolean {
  return p.role === 'admin' || (p.role === 'staff' && p.theatreIds.includes(theatreId));
}

const forbidden = () => fail('FORBIDDEN', { message: 'You do not work at this theatre.', reason: 'not_your_theatre' });
const notFound = (what: 'show' | 'theatre' | 'screen') =>
  fail('NOT_FOUND', { message: `No such ${what}.`, ...(what === 'show' ? { reason: 'show_not_found' as const } : {}) });
const invalid = (problems: Finding[]) =>
  fail('VALIDATION', { message: problems.map((p) => p.message).join(' '), details: problems.map((p) => ({ path: '', ...p })) });

export function createStaff(deps: {
  store: CatalogStore;
  catalog: Catalog;
  seats: SeatStore;
  bookings: BookingStore;
  seatService: SeatService;
  clock: Clock;
  /** With a payment gateway: ends a pending_payment booking now (`expireUnpaid` for one booking, deadline or not). */
  endUnpaid?: (bookingId: string) => Promise<unknown>;
}) {
  const { store, catalog, seats, bookings, seatService, clock } = deps;

  /**
   * Every booking on the show as it is now, none missed: the index lists them, but on AWS it
   * may lag a write by a second, so the bookings named by the show's seat items (read
   * consistently) are added and all are read from their own items.
   */
  async function bookingsOnShow(showId: string, records?: SeatRecord[]) {
    const [seatItems, listed] = await Promise.all([records ?? seats.seats(showId), bookings.listByShow(showId)]);
    const ids = new Set(listed.map((b) => b.id));
    for (const r of seatItems) if (r.bookingId) ids.add(r.bookingId);
    return bookings.getMany([...ids]);
  }

  async function occupancyOf(show: ShowRecord): Promise<Occupancy> {
    const screen = await store.getScreen(show.screenId);
    const capacity = screen ? seatsOf(screen.layout).length : 0;
    const records = await seats.seats(show.id);
    const list = await bookingsOnShow(show.id, records);
    const now = clock.now();
    let booked = 0;
    let held = 0;
    for (const r of records) {
      const s = statusOf(r, now);
      if (s === 'booked') booked++;
      else if (s === 'held') held++;
    }
    const revenue = list.filter((b) => b.status === 'confirmed').reduce((sum, b) => sum + b.breakdown.tickets, 0);
    return { showId: show.id, capacity, booked, held, free: capacity - booked - held, revenue, currency: show.currency };
  }

  async function theatreOf(theatreId: string) {
    return (await catalog.theatres()).get(theatreId) ?? null;
  }

  async function showsAt(theatreId: string, date: string): Promise<ShowRecord[]> {
    const theatre = await theatreOf(theatreId);
    if (!theatre) return [];
    return (await store.showsOn(theatre.cityId, date)).filter((s) => s.theatreId === theatreId);
  }

  async function checkSchedule(show: ShowRecord): Promise<Finding[]> {
    const movies = await catalog.movies();
    const runtime = (id: string) => movies.get(id)?.runtimeMinutes ?? 180;
    // A show can overlap one that started the evening before: look at the day before too.
    const nearby = (await Promise.all([addDays(show.localDate, -1), show.localDate, addDays(show.localDate, 1)].map((d) => showsAt(show.theatreId, d))))
      .flat()
      .filter((s) => s.status === 'scheduled');
    return scheduleProblems(
      { id: show.id, screenId: show.screenId, startsAt: show.startsAt, runtimeMinutes: runtime(show.movieId) },
      nearby.map((s) => ({ id: s.id, screenId: s.screenId, startsAt: s.startsAt, runtimeMinutes: runtime(s.movieId) })),
      clock.now(),
    );
  }

  async function buildShow(base: Omit<ShowRecord, 'startsAt' | 'localDate' | 'screenId' | 'movieId' | 'language' | 'prices'>, req: CreateShowRequest): Promise<Result<ShowRecord>> {
    const [screen, theatre, movies] = await Promise.all([store.getScreen(req.screenId), theatreOf(base.theatreId), catalog.movies()]);
    if (!screen || screen.theatreId !== base.theatreId || !theatre) return invalid([{ reason: 'screen_not_in_theatre', message: 'That screen is not in this theatre.' }]);
    const movie = movies.get(req.movieId);
    if (!movie) return invalid([{ reason: 'unknown_movie', message: 'Unknown movie.' }]);
    if (!movie.languages.includes(req.language)) return invalid([{ reason: 'language_unavailable', params: { movie: movie.title, language: req.language }, message: `${movie.title} is not available in ${req.language}.` }]);
    const missing = screen.layout.categories.map((c) => c.id).filter((c) => !(c in req.prices));
    if (missing.length) return invalid([{ reason: 'missing_prices', params: { categories: missing }, message: `Prices missing for: ${missing.join(', ')}.` }]);
    const startsAt = zonedToUtc(req.date, req.time, theatre.timeZone);
    const prices = Object.fromEntries(screen.layout.categories.map((c) => [c.id, req.prices[c.id]!]));
    return ok({ ...base, screenId: screen.id, movieId: movie.id, language: req.language, prices, startsAt, localDate: localDate(startsAt, theatre.timeZone) });
  }

  return {
    canManageTheatre,
    /** Whether `p` may manage this show's / screen's theatre; null when it does not exist. */
    async canManageShow(p: Principal, showId: string): Promise<boolean | null> {
      const show = await store.getShow(showId);
      return show ? canManageTheatre(p, show.theatreId) : null;
    },
    async canManageScreen(p: Principal, screenId: string): Promise<boolean | null> {
      const screen = await store.getScreen(screenId);
      return screen ? canManageTheatre(p, screen.theatreId) : null;
    },

    async theatres(p: Principal) {
      const all = [...(await catalog.theatres()).values()];
      return all.filter((t) => canManageTheatre(p, t.id));
    },

    async screens(p: Principal, theatreId: string) {
      if (!canManageTheatre(p, theatreId)) return forbidden();
      return ok((await store.screens()).filter((s) => s.theatreId === theatreId));
    },

    async day(p: Principal, theatreId: string, date?: string): Promise<Result<{ date: string; shows: StaffShow[] }>> {
      if (!canManageTheatre(p, theatreId)) return forbidden();
      const theatre = await theatreOf(theatreId);
      if (!theatre) return notFound('theatre');
      const day = date ?? localDate(clock.now(), theatre.timeZone);
      const list = (await showsAt(theatreId, day)).filter((s) => s.status === 'scheduled').sort((a, b) => a.startsAt - b.startsAt);
      const shows: StaffShow[] = [];
      for (const s of list) {
        const ctx = await catalog.showContext(s.id);
        if (ctx) shows.push({ show: catalog.summary(ctx), occupancy: await occupancyOf(s) });
      }
      return ok({ date: day, shows });
    },

    async occupancy(p: Principal, showId: string): Promise<Result<Occupancy>> {
      const show = await store.getShow(showId);
      if (!show) return notFound('show');
      if (!canManageTheatre(p, show.theatreId)) return forbidden();
      return ok(await occupancyOf(show));
    },

    async createShow(p: Principal, theatreId: string, req: CreateShowRequest): Promise<Result<{ show: ShowRecord }>> {
      if (!canManageTheatre(p, theatreId)) return forbidden();
      const theatre = await theatreOf(theatreId);
      if (!theatre) return notFound('theatre');
      const id = `show-${theatreId.slice(0, 24)}-${clock.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const built = await buildShow({ id, theatreId, cityId: theatre.cityId, currency: (await catalog.cities()).find((c) => c.id === theatre.cityId)?.currency ?? 'INR', status: 'scheduled' }, req);
      if (!built.ok) return built;
      const problems = await checkSchedule(built.value);
      if (problems.length) return invalid(problems);
      await store.putShows([built.value]);
      return ok({ show: built.value });
    },

    async updateShow(p: Principal, showId: string, patch: UpdateShowRequest): Promise<Result<{ show: ShowRecord }>> {
      const show = await store.getShow(showId);
      if (!show || show.status !== 'scheduled') return notFound('show');
      if (!canManageTheatre(p, show.theatreId)) return forbidden();
      const theatre = (await theatreOf(show.theatreId))!;
      const sold = (await bookingsOnShow(showId)).some((b) => b.status === 'confirmed');
      if (sold && (patch.screenId !== undefined || patch.movieId !== undefined)) {
        return invalid([{ reason: 'show_has_bookings', message: 'This show has bookings: its screen and movie cannot change (cancel it instead).' }]);
      }
      const local = formatInZone(show.startsAt, theatre.timeZone);
      const current: CreateShowRequest = {
        screenId: show.screenId,
        movieId: show.movieId,
        date: show.localDate,
        time: local.slice(11, 16),
        language: show.language,
        prices: show.prices,
      };
      const built = await buildShow(show, { ...current, ...patch });
      if (!built.ok) return built;
      const problems = await checkSchedule(built.value);
      if (problems.length) return invalid(problems);
      // A moved show leaves its old day's index entry behind unless it is replaced.
      await store.putShows([built.value]);
      catalog.invalidate(`show:${showId}`);
      return ok({ show: built.value });
    },

    /**
     * Cancels the show and every booking on it with a full refund, through the normal
     * cancellation path; checked-in bookings too, since the show does not take place.
     */
    async cancelShow(p: Principal, showId: string): Promise<Result<{ showId: string; bookingsCancelled: number }>> {
      const show = await store.getShow(showId);
      if (!show) return notFound('show');
      if (!canManageTheatre(p, show.theatreId)) return forbidden();
      const cancelConfirmed = async (): Promise<Result<number>> => {
        let n = 0;
        for (const b of await bookingsOnShow(showId)) {
          if (b.status !== 'confirmed') continue;
          const r = await seatService.cancel(p, b.id, true, { refund: { percent: 100, amount: b.total } });
          if (!r.ok) return r;
          n++;
        }
        return ok(n);
      };
      const first = await cancelConfirmed();
      if (!first.ok) return first;
      await store.putShows([{ ...show, status: 'cancelled' }]);
      catalog.invalidate(`show:${showId}`);
      if (!deps.endUnpaid) return ok({ showId, bookingsCancelled: first.value });
      // Bookings still waiting for money end now (money that comes anyway is refunded: the show
      // is off); one paid just before that is cancelled with a full refund like the others.
      for (const b of await bookingsOnShow(showId)) if (b.status === 'pending_payment') await deps.endUnpaid(b.id);
      const second = await cancelConfirmed();
      if (!second.ok) return second;
      return ok({ showId, bookingsCancelled: first.value + second.value });
    },

    async putLayout(p: Principal, screenId: string, layout: Layout): Promise<Result<{ screenId: string; seats: number }>> {
      const screen = await store.getScreen(screenId);
      if (!screen) return notFound('screen');
      if (!canManageTheatre(p, screen.theatreId)) return forbidden();
      const problems = layoutProblems(layout);
      if (problems.length) return invalid(problems);
      const newSeats = new Set(seatsOf(layout).map((s) => s.id));
      // Booked seats of every show still to come on this screen must survive the change.
      const theatre = (await theatreOf(screen.theatreId))!;
      const today = localDate(clock.now(), theatre.timeZone);
      const upcoming = (await Promise.all(Array.from({ length: 14 }, (_, i) => showsAt(screen.theatreId, addDays(today, i)))))
        .flat()
        .filter((s) => s.screenId === screenId && s.status === 'scheduled' && s.startsAt > clock.now() - 6 * 3600_000);
      const booked = (await Promise.all(upcoming.map((s) => bookingsOnShow(s.id)))).flat().filter((b) => b.status === 'confirmed');
      const dropped = droppedBookedSeats(booked.flatMap((b) => b.seats), newSeats);
      if (dropped.length) return invalid([{ reason: 'drops_booked_seats', params: { seats: dropped }, message: `The new layout drops booked seats: ${dropped.join(', ')}.` }]);
      const missing = layout.categories.map((c) => c.id).filter((c) => upcoming.some((s) => !(c in s.prices)));
      if (missing.length) return invalid([{ reason: 'missing_prices', params: { categories: missing }, message: `Shows on this screen have no price for: ${missing.join(', ')}.` }]);
      await store.putScreens([{ ...screen, layout }]);
      catalog.invalidate(`screen:${screenId}`);
      for (const s of upcoming) catalog.invalidate(`show:${s.id}`);
      return ok({ screenId, seats: newSeats.size });
    },

    async report(p: Principal, theatreId: string, from: string, to: string): Promise<Result<{ rows: ReportRow[] }>> {
      if (!canManageTheatre(p, theatreId)) return forbidden();
      const theatre = await theatreOf(theatreId);
      if (!theatre) return notFound('theatre');
      if (to < from) return invalid([{ reason: 'range_reversed', message: '"to" is before "from".' }]);
      const days: string[] = [];
      for (let d = from; d <= to && days.length < 93; d = addDays(d, 1)) days.push(d);
      if (days.length === 93 && days.at(-1)! < to) return invalid([{ reason: 'range_too_long', params: { maxDays: 92 }, message: 'At most 92 days per report.' }]);
      const [movies, screens] = await Promise.all([catalog.movies(), store.screens()]);
      const rows: ReportRow[] = [];
      for (const d of days) {
        for (const s of (await showsAt(theatreId, d)).sort((a, b) => a.startsAt - b.startsAt)) {
          const screen = screens.find((x) => x.id === s.screenId);
          const capacity = screen ? seatsOf(screen.layout).length : 0;
          const confirmed = (await bookings.listByShow(s.id)).filter((b) => b.status === 'confirmed');
          const seatsSold = confirmed.reduce((n, b) => n + b.seats.length, 0);
          rows.push({
            showId: s.id,
            date: s.localDate,
            time: formatInZone(s.startsAt, theatre.timeZone).slice(11, 16),
            movie: movies.get(s.movieId)?.title ?? s.movieId,
            screen: screen?.name ?? s.screenId,
            capacity,
            seatsSold,
            bookings: confirmed.length,
            occupancyPercent: capacity ? Math.round((seatsSold / capacity) * 1000) / 10 : 0,
            revenue: confirmed.reduce((n, b) => n + b.breakdown.tickets, 0),
            currency: s.currency,
          });
        }
      }
      return ok({ rows });
    },
  };
}
export type Staff = ReturnType<typeof createStaff>;

/** CSV with a header, one line per show, and a total line. Revenue in major units. */
export function reportCsv(rows: ReportRow[]): string {
  const esc = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const header = ['date', 'time', 'movie', 'screen', 'show_id', 'capacity', 'seats_sold', 'bookings', 'occupancy_percent', 'revenue', 'currency'];
  const lines = rows.map((r) =>
    [r.date, r.time, r.movie, r.screen, r.showId, r.capacity, r.seatsSold, r.bookings, r.occupancyPercent, (r.revenue / 100).toFixed(2), r.currency].map(esc).join(','),
  );
  const sum = (f: (r: ReportRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const currencies = [...new Set(rows.map((r) => r.currency))].join('/');
  const capacity = sum((r) => r.capacity);
  const sold = sum((r) => r.seatsSold);
  lines.push(['TOTAL', '', '', '', '', capacity, sold, sum((r) => r.bookings), capacity ? Math.round((sold / capacity) * 1000) / 10 : 0, (sum((r) => r.revenue) / 100).toFixed(2), currencies].map(esc).join(','));
  return [header.join(','), ...lines].join('\n') + '\n';
}
