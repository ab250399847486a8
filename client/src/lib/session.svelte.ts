/**
 * The signed-in user. The access token lives in memory only (a script injected into the
 * page could read storage); the refresh token is an httpOnly cookie the page never sees.
 * A reload restores the session through /api/auth/refresh. Only the user's display
 * details are kept in localStorage, so the header does not flicker while that happens.
 */
import type { AuthResponse, User } from '../../../protocol/schemas.js';
import { t } from './i18n.svelte.js';

const USER_KEY = 'mm.user';
/** Refresh this long before the access token runs out. */
const EARLY_MS = 60_000;

type Listener = (change: { token: string | null; userChanged: boolean }) => void;

function storedUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

class Session {
  token = $state<string | null>(null);
  user = $state<User | null>(null);
  /** A one-off message for the next page (signed out elsewhere, check your inbox...). */
  flash = $state<string | null>(null);
  /** Settles once the first restore attempt is over: calls that need a token wait for it. */
  ready: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #refreshing: Promise<boolean> | null = null;
  /** Logging out on purpose: the server's "session ended" news is no surprise, and no reason to refresh. */
  #leaving = false;
  #listeners = new Set<Listener>();

  constructor() {
    if (typeof window === 'undefined' || typeof localStorage === 'undefined') return;
    this.user = storedUser();
    this.ready = this.user ? this.refresh().then(() => undefined) : Promise.resolve();
    // Logged out in another tab: follow at once.
    window.addEventListener('storage', (e) => {
      if (e.key === USER_KEY && e.newValue === null && this.user) this.clear();
    });
  }

  /** Called with every token change (login, refresh, logout). */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  set(auth: AuthResponse) {
    const userChanged = this.user?.id !== auth.user.id || !this.token;
    this.token = auth.token;
    this.user = auth.user;
    localStorage.setItem(USER_KEY, JSON.stringify(auth.user));
    clearTimeout(this.#timer);
    const wait = Math.max(5_000, Date.parse(auth.expiresAt) - Date.now() - EARLY_MS);
    this.#timer = setTimeout(() => void this.refresh(), wait);
    for (const l of this.#listeners) l({ token: auth.token, userChanged });
  }

  clear() {
    this.#leaving = false;
    const had = this.user !== null || this.token !== null;
    clearTimeout(this.#timer);
    this.token = null;
    this.user = null;
    localStorage.removeItem(USER_KEY);
    if (had) for (const l of this.#listeners) l({ token: null, userChanged: true });
  }

  /**
   * A new access token from the refresh cookie. True when signed in afterwards; a 401
   * ends the session here. One refresh at a time, in this tab and across tabs (Web
   * Locks): two tabs trading the same refresh token would look like theft to the server.
   */
  refresh(): Promise<boolean> {
    if (this.#leaving) return Promise.resolve(false);
    this.#refreshing ??= (async () => {
      try {
        const run = () => this.#refreshOnce();
        return await (navigator.locks ? navigator.locks.request('mm-refresh', run) : run());
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  async #refreshOnce(): Promise<boolean> {
    let res: Response;
    try {
      res = await fetch('/api/auth/refresh', { method: 'POST', headers: { accept: 'application/json' } });
    } catch {
      return false; // offline: keep what we have and try again later
    }
    if (res.ok) {
      this.set((await res.json()) as AuthResponse);
      return true;
    }
    if (res.status === 401 && this.user && !this.#leaving) {
      this.flash = t('signedOut');
      this.clear();
    }
    return false;
  }

  /** Ends this session on the server (the cookie says which, even with a stale token), then here. */
  async logout() {
    this.#leaving = true;
    await fetch('/api/auth/logout', { method: 'POST', headers: this.#bearer() }).catch(() => undefined);
    this.clear();
  }

  /**
   * Ends every session of the user, on every device, then here. Throws, and keeps this
   * session, when the server could not be told: the user must not believe it happened.
   */
  async logoutEverywhere() {
    this.#leaving = true;
    try {
      const call = () => fetch('/api/auth/logout-all', { method: 'POST', headers: this.#bearer() });
      let res = await call();
      if (res.status === 401 && (await this.#refreshOnce())) res = await call(); // a token that ran out meanwhile
      if (!res.ok && res.status !== 401) throw new Error(t('error'));
      this.clear();
    } catch (err) {
      this.#leaving = false;
      throw err;
    }
  }

  #bearer(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

export const session = new Session();
