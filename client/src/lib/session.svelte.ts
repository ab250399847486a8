/** The logged-in user; survives reloads through localStorage. */
import type { AuthResponse, User } from '../../../protocol/schemas.js';

const KEY = 'mm.session';

function load(): { token: string; user: User } | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as { token: string; user: User };
    const payload = JSON.parse(atob(s.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    if (payload.exp && payload.exp * 1000 < Date.now()) return null;
    return s;
  } catch {
    return null;
  }
}

class Session {
  token = $state<string | null>(null);
  user = $state<User | null>(null);

  constructor() {
    const s = typeof localStorage === 'undefined' ? null : load();
    this.token = s?.token ?? null;
    this.user = s?.user ?? null;
  }

  set(auth: AuthResponse) {
    this.token = auth.token;
    this.user = auth.user;
    localStorage.setItem(KEY, JSON.stringify(auth));
  }

  logout() {
    this.token = null;
    this.user = null;
    localStorage.removeItem(KEY);
  }
}

export const session = new Session();
