/**
 * The signed-in user's own things (issue 17): favourite movies and theatres, account
 * preferences, and the shows "Book again" offers. `PUT`/`DELETE
 * /api/me/favourites/{movies|theatres}/:id` are idempotent; an id the catalogue does not know
 * is 404 NOT_FOUND (`movie_not_found`, `theatre_not_found`).
 */
import { z } from 'zod';
import { UiLanguage } from './languages.js';
import { Id, SeatKind, ShowSummary } from './schemas.js';

/** Most favourites of one kind a user may keep (more: 400 VALIDATION `too_many_favourites`). */
export const MAX_FAVOURITES = 100;

export const FavouriteKind = z.enum(['movies', 'theatres']);
export type FavouriteKind = z.infer<typeof FavouriteKind>;

/** `GET /api/me/favourites`, and the answer of every PUT and DELETE: ids, sorted. */
export const Favourites = z.object({ movies: z.array(Id), theatres: z.array(Id) });
export type Favourites = z.infer<typeof Favourites>;
export const FavouritesResponse = z.object({ favourites: Favourites });
export type FavouritesResponse = z.infer<typeof FavouritesResponse>;

export { UiLanguage } from './languages.js';

/**
 * Account preferences. `null`: not chosen. `city` preselects the home city, `seatType` the
 * seat-type filter of showtimes. `offers`: consent to offers by mail, and when it was last
 * given or withdrawn (ISO 8601 UTC; null: never asked). Nothing is sent yet.
 */
export const Preferences = z.object({
  language: UiLanguage.nullable(),
  city: Id.nullable(),
  seatType: SeatKind.nullable(),
  offers: z.object({ consent: z.boolean(), at: z.string().nullable() }),
});
export type Preferences = z.infer<typeof Preferences>;
export const PreferencesResponse = z.object({ preferences: Preferences });
export type PreferencesResponse = z.infer<typeof PreferencesResponse>;

/**
 * `PUT /api/me/preferences`: sets the fields given (others stay); `null` clears one. An
 * unknown city is 400 VALIDATION (`city_not_found` on `city`); unknown fields are refused.
 */
export const PreferencesRequest = z
  .object({
    language: UiLanguage.nullable(),
    city: Id.nullable(),
    seatType: SeatKind.nullable(),
    offers: z.boolean(),
  })
  .partial()
  .strict();
export type PreferencesRequest = z.infer<typeof PreferencesRequest>;

/**
 * `GET /api/bookings/:id/again`: the shows Book again offers for one of the caller's bookings:
 * the same theatre, the next 7 days, not started, the booking's own show left out; the same
 * movie first, then by time.
 */
export const AgainResponse = z.object({ shows: z.array(ShowSummary) });
export type AgainResponse = z.infer<typeof AgainResponse>;
