import type { Auth } from '../services/auth.js';
import type { UserStore } from '../ports.js';

export const DEMO_PASSWORD = 'moviemagic';
export const demoUsers = [
  { name: 'Asha Rao', email: 'asha@demo.moviemagic.app', role: 'customer' as const },
  { name: 'Ravi Kumar', email: 'ravi@demo.moviemagic.app', role: 'customer' as const },
];

/** Creates the demo accounts that are missing; returns all of them. */
export async function ensureDemoUsers(auth: Auth, users: UserStore) {
  for (const u of demoUsers) {
    if (await users.findByEmail(u.email)) continue;
    await auth.register({ name: u.name, email: u.email, password: DEMO_PASSWORD }, u.role);
  }
  return demoUsers;
}
