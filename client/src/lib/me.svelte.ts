/**
 * The signed-in user's favourites and preferences (protocol/me.ts), loaded for whoever is
 * signed in and dropped at sign-out. Preferences reach the UI at sign-in (`applyAtSignIn`):
 * the language becomes the UI language and the city the home city; the seat type preselects
 * the showtimes filter (Movie.svelte reads `me.preferences`).
 */
import type { FavouriteKind, Favourites, FavouritesResponse, Preferences, PreferencesRequest, PreferencesResponse } from '../../../protocol/me.js';
import { api } from './api.js';
import { catalog } from './catalog.svelte.js';
import { i18n } from './i18n.svelte.js';
import { session } from './session.svelte.js';

const NONE: Favourites = { movies: [], theatres: [] };

class Me {
  favourites = $state.raw<Favourites>(NONE);
  preferences = $state.raw<Preferences | null>(null);
  #for: string | null = null;

  constructor() {
    if (typeof window === 'undefined') return;
    session.onChange(({ token, userChanged }) => {
      if (!token) return this.#reset();
      if (userChanged || this.#for !== session.user?.id) void this.load();
    });
    if (session.token) void this.load();
  }

  #reset() {
    this.#for = null;
    this.favourites = NONE;
    this.preferences = null;
  }

  async load() {
    const user = session.user?.id ?? null;
    this.#for = user;
    if (!user) return this.#reset();
    const [f, p] = await Promise.all([
      api<FavouritesResponse>('/api/me/favourites', { auth: true }).catch(() => null),
      api<PreferencesResponse>('/api/me/preferences', { auth: true }).catch(() => null),
    ]);
    if (this.#for !== user) return; // signed out or someone else meanwhile
    if (f) this.favourites = f.favourites;
    if (p) this.preferences = p.preferences;
  }

  has(kind: FavouriteKind, id: string): boolean {
    return this.favourites[kind].includes(id);
  }

  /** Adds or removes a favourite: shown at once, put back if the server says no. */
  async toggle(kind: FavouriteKind, id: string) {
    const before = this.favourites;
    const on = !before[kind].includes(id);
    this.favourites = { ...before, [kind]: on ? [...before[kind], id].sort() : before[kind].filter((x) => x !== id) };
    try {
      const r = await api<FavouritesResponse>(`/api/me/favourites/${kind}/${encodeURIComponent(id)}`, { method: on ? 'PUT' : 'DELETE', auth: true });
      this.favourites = r.favourites;
    } catch (err) {
      this.favourites = before;
      throw err;
    }
  }

  /** Saves preferences and puts the language and city into effect here at once. */
  async save(req: PreferencesRequest) {
    const r = await api<PreferencesResponse>('/api/me/preferences', { method: 'PUT', body: req, auth: true });
    this.preferences = r.preferences;
    this.#apply(r.preferences);
    return r.preferences;
  }

  /** Just signed in: the account's language and city take over from this browser's. */
  async applyAtSignIn() {
    await this.load();
    if (this.preferences) this.#apply(this.preferences);
  }

  #apply(p: Preferences) {
    if (p.language && p.language !== i18n.locale) i18n.set(p.language);
    if (p.city && p.city !== catalog.cityId) catalog.setCity(p.city);
  }
}

export const me = new Me();
