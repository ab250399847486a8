import { createAccount } from '../services/auth.js';
import type { Clock, UserStore } from '../ports.js';

export const DEMO_PASSWORD = 'moviemagic';
export interface DemoUser {
  name: string;
  email: string;
  role: 'customer' | 'staff' | 'admin';
  theatreIds?: string[];
}
export const demoUsers: DemoUser[] = [
  { name: 'Asha Rao', email: 'asha@demo.moviemagic.app', role: 'customer' },
  { name: 'Ravi Kumar', email: 'ravi@demo.moviemagic.app', role: 'customer' },
  // Staff of two Hyderabad theatres (DEMO_STAFF_THEATRES); the admin sees every theatre.
  { name: 'Sita Devi', email: 'staff@demo.moviemagic.app', role: 'staff' },
  { name: 'Admin', email: 'admin@demo.moviemagic.app', role: 'admin' },
];

/** Creates the demo accounts that are missing; returns all of them. */
export const DEMO_STAFF_THEATRES = ['pvr-inorbit-mall-madhapur', 'amb-cinemas-gachibowli'];

export async function ensureDemoUsers(deps: { users: UserStore; clock: Clock; bcryptCost: number }, staffTheatreIds = DEMO_STAFF_THEATRES) {
  for (const u of demoUsers) {
    const existing = await deps.users.findByEmail(u.email);
    // Demo addresses receive no mail: they count as verified (older data dirs included).
    if (existing) await deps.users.markEmailVerified(existing.id);
    else await createAccount(deps, { name: u.name, email: u.email, password: DEMO_PASSWORD }, u.role, u.role === 'staff' ? staffTheatreIds : [], { emailVerified: true });
  }
  return demoUsers;
}
