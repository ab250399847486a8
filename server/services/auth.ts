import { createSecretKey } from 'node:crypto';
import bcrypt from 'bcrypt';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import type { AuthResponse, LoginRequest, RegisterRequest, User } from '../../protocol/index.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { Clock, UserRecord, UserStore } from '../ports.js';

export interface AuthConfig {
  jwtSecret: string;
  bcryptCost: number;
  tokenTtlSeconds: number;
}

export interface Principal {
  id: string;
  name: string;
  role: User['role'];
  /** Theatres a staff member works at (signed into the token). */
  theatreIds: string[];
  /** When the token stops being valid (epoch ms); sockets check it on every event. */
  expiresAt?: number;
}

const ALGORITHM = 'HS256';
// Compared against when the email is unknown, so both paths cost one bcrypt check.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 4);

export function createAuth(users: UserStore, clock: Clock, config: AuthConfig) {
  // A KeyObject once: given a string, jsonwebtoken tries (and fails) to parse a PEM key on every call.
  const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  const publicUser = (u: UserRecord): User => ({ id: u.id, name: u.name, email: u.email, role: u.role });
  const issue = (u: UserRecord): AuthResponse => ({
    token: jwt.sign({ name: u.name, role: u.role, ...(u.role === 'staff' ? { theatres: u.theatreIds ?? [] } : {}) }, key, {
      algorithm: ALGORITHM,
      subject: u.id,
      expiresIn: config.tokenTtlSeconds,
    }),
    user: publicUser(u),
  });

  return {
    /** Public sign-up is always `customer`; staff and admin accounts come from seeding or an admin. */
    async register(req: RegisterRequest, role: User['role'] = 'customer', theatreIds: string[] = []): Promise<Result<AuthResponse>> {
      const user: UserRecord = {
        id: `u_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
        name: req.name,
        email: req.email,
        role,
        ...(role === 'staff' ? { theatreIds } : {}),
        passwordHash: await bcrypt.hash(req.password, config.bcryptCost),
        createdAt: new Date(clock.now()).toISOString(),
      };
      if (!(await users.create(user))) return fail('EMAIL_TAKEN');
      return ok(issue(user));
    },

    async login(req: LoginRequest): Promise<Result<AuthResponse>> {
      const user = await users.findByEmail(req.email);
      const matches = await bcrypt.compare(req.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !matches) return fail('UNAUTHENTICATED', { message: 'Email or password is wrong.' });
      return ok(issue(user));
    },

    /** The principal of a valid token, or null for anything invalid, expired or forged. */
    verify(token: string): Principal | null {
      try {
        const claims = jwt.verify(token, key, {
          algorithms: [ALGORITHM],
          clockTimestamp: Math.floor(clock.now() / 1000),
        });
        if (typeof claims === 'string' || typeof claims.sub !== 'string') return null;
        const role = (claims.role as User['role']) ?? 'customer';
        const theatres = Array.isArray(claims.theatres) ? claims.theatres.filter((t): t is string => typeof t === 'string') : [];
        return {
          id: claims.sub,
          name: String(claims.name ?? ''),
          role,
          theatreIds: role === 'staff' ? theatres : [],
          ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
        };
      } catch {
        return null;
      }
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
