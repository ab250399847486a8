/**
 * The signed-in user. The access token lives in memory only (a script injected into the
 * page could read storage); the refresh token is an httpOnly cookie the page never sees.
 * A reload restores the session through /api/auth/refresh. Only the user's display
 * details are kept in localStorage, so the header does not flicker while that happens.
 */
import type { AuthResponse, User } from '../../../protocol/schemas.js';

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
    if (res.status === 401 && this.user) {
      this.flash = ((await res.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? null;
      this.clear();
    }
    return false;
  }

  /** Ends this session on the server (and the cookie), then here. */
  async logout() {
    await fetch('/api/auth/logout', {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    }).catch(() => undefined);
    this.clear();
  }
}

export const session = new Session();
