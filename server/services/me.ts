/**
 * The signed-in user's own things: favourite movies and theatres, account preferences, and
 * the shows Book again offers (protocol/me.ts). Favourites are string sets on the user item,
 * so adding twice or removing twice changes nothing.
 */
import {
  MAX_FAVOURITES,
  type FavouriteKind,
  type Favourites,
  type Preferences,
  type PreferencesRequest,
  type ShowSummary,
} from '../../protocol/index.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { BookingStore, CatalogStore, Clock, UserRecord, UserStore } from '../ports.js';
import type { Principal } from './auth.js';
import type { Catalog } from './catalog.js';

export const NO_PREFERENCES: Preferences = { language: null, city: null, seatType: null, offers: { consent: false, at: null } };
/** Saves of one user's preferences that can overlap before one gives up. */
const SAVE_ATTEMPTS = 5;

/** The preferences after a save that names some fields; consent records when it was given or withdrawn. */
function withChanges(before: Preferences, req: PreferencesRequest, now: number): Preferences {
  const { offers, ...rest } = req;
  const consentChanged = offers !== undefined && offers !== before.offers.consent;
  // The time consent was given or withdrawn: what a later mailing has to be able to show.
  return { ...before, ...rest, offers: consentChanged ? { consent: offers, at: new Date(now).toISOString() } : before.offers };
}

const favouritesOf = (u: UserRecord): Favourites => ({ movies: u.favouriteMovies ?? [], theatres: u.favouriteTheatres ?? [] });

/** How many days ahead Book again looks for shows. */
const AGAIN_DAYS = 7;

export function createMe(deps: { users: UserStore; catalog: Catalog; store: CatalogStore; bookings: BookingStore; clock: Clock }) {
  const { users, catalog } = deps;

  async function userOf(p: Principal): Promise<Result<UserRecord>> {
    const user = await users.get(p.id);
    return user ? ok(user) : fail('UNAUTHENTICATED');
  }
  async function known(kind: FavouriteKind, id: string): Promise<boolean> {
    return (kind === 'movies' ? await catalog.movies() : await catalog.theatres()).has(id);
  }
  const notFound = (kind: FavouriteKind, id: string) =>
    kind === 'movies'
      ? fail('NOT_FOUND', { message: `No movie "${id}".`, reason: 'movie_not_found' })
      : fail('NOT_FOUND', { message: `No theatre "${id}".`, reason: 'theatre_not_found' });

  async function favourites(p: Principal): Promise<Result<{ favourites: Favourites }>> {
    const user = await userOf(p);
    return user.ok ? ok({ favourites: favouritesOf(user.value) }) : user;
  }

  return {
    favourites,

    async addFavourite(p: Principal, kind: FavouriteKind, id: string): Promise<Result<{ favourites: Favourites }>> {
      if (!(await known(kind, id))) return notFound(kind, id);
      if (!(await users.addFavourite(p.id, kind, id, MAX_FAVOURITES))) {
        return fail('VALIDATION', {
          message: `At most ${MAX_FAVOURITES} favourite ${kind}.`,
          reason: 'too_many_favourites',
          params: { max: MAX_FAVOURITES },
          details: [{ path: 'id', reason: 'too_many_favourites', params: { max: MAX_FAVOURITES }, message: `at most ${MAX_FAVOURITES} favourite ${kind}` }],
        });
      }
      return favourites(p);
    },

    /** A favourite the catalogue has dropped since can still be removed; any other unknown id is 404. */
    async removeFavourite(p: Principal, kind: FavouriteKind, id: string): Promise<Result<{ favourites: Favourites }>> {
      const user = await userOf(p);
      if (!user.ok) return user;
      const had = favouritesOf(user.value)[kind].includes(id);
      if (!had && !(await known(kind, id))) return notFound(kind, id);
      if (had) await users.removeFavourite(p.id, kind, id);
      return favourites(p);
    },

    async preferences(p: Principal): Promise<Result<{ preferences: Preferences }>> {
      const user = await userOf(p);
      return user.ok ? ok({ preferences: user.value.preferences ?? NO_PREFERENCES }) : user;
    },

    async setPreferences(p: Principal, req: PreferencesRequest): Promise<Result<{ preferences: Preferences }>> {
      if (req.city && !(await catalog.cities()).some((c) => c.id === req.city)) {
        const problem = { path: 'city', reason: 'city_not_found' as const, params: { city: req.city }, message: `no city "${req.city}"` };
        return fail('VALIDATION', { message: `No city "${req.city}".`, details: [problem] });
      }
      // A save changes only the fields it names: it is made against the preferences it read, and
      // read again if another save (another tab) came in between, so neither loses the other's change.
      for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
        const user = await userOf(p);
        if (!user.ok) return user;
        const next = withChanges(user.value.preferences ?? NO_PREFERENCES, req, deps.clock.now());
        if (await users.setPreferences(p.id, next, user.value.preferencesRevision ?? 0)) return ok({ preferences: next });
      }
      return fail('UNAVAILABLE', { message: 'Your preferences are being changed elsewhere at the same moment: try again.' });
    },

    /** Shows at the booking's theatre in the next days, for Book again; 404 for a booking that is not the caller's. */
    async againOptions(p: Principal, bookingId: string): Promise<Result<{ shows: ShowSummary[] }>> {
      const booking = await deps.bookings.get(bookingId);
      if (!booking || booking.userId !== p.id) return fail('NOT_FOUND', { message: 'No such booking.', reason: 'booking_not_found' });
      const original = await deps.store.getShow(booking.showId);
      const theatreId = booking.show.theatreId ?? original?.theatreId;
      const theatre = theatreId ? (await catalog.theatres()).get(theatreId) : undefined;
      const city = theatre && (await catalog.cities()).find((c) => c.id === theatre.cityId);
      if (!theatre || !city) return ok({ shows: [] });
      const days = await Promise.all(catalog.datesOf(city, AGAIN_DAYS).map(async (date) => (await catalog.listShows({ city: city.id, date })) ?? []));
      const sameMovie = (s: ShowSummary) => (s.movie.id === original?.movieId ? 0 : 1);
      // One theatre, one time zone: the local times compare as strings.
      const shows = days
        .flat()
        .filter((s) => s.theatre.id === theatre.id && s.id !== booking.showId)
        .sort((a, b) => sameMovie(a) - sameMovie(b) || a.startsAt.localeCompare(b.startsAt));
      return ok({ shows });
    },
  };
}
export type Me = ReturnType<typeof createMe>;
