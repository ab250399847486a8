/**
 * The waiting room's rules, pure: the pre-queue shuffle, how many may be admitted at a
 * moment, the wait estimate, the pass. Stores (memory, Redis) keep the line and call these.
 *
 * Admission is counted in minutes from the queue's start (`opensAt`, or when it was turned
 * on): minute k admits at most `admitPerMinute`, and within the minute no faster than an
 * even spread (slot i opens at i × 60 s / admitPerMinute), so the seat map never takes a
 * minute's buyers in one burst. Slots not used because nobody was waiting are not banked.
 */
import type { Clock } from './types.js';
import { readCode, signCode, type CodeKind } from './signed-codes.js';

export const MINUTE_MS = 60_000;

export interface QueueSettings {
  /** Epoch ms: who arrives before it waits in the pre-queue and is shuffled at opening. */
  opensAt: number;
  admitPerMinute: number;
  /** At most this many admitted buyers with a live pass at once (unset: no cap). */
  maxActiveBuyers?: number;
  passMinutes: number;
}

/** A random integer in [0, maxExclusive): a secure source in production, a seeded one in tests. */
export type RandomInt = (maxExclusive: number) => number;

/** Fisher–Yates: every order equally likely when `randomInt` is uniform. */
export function shuffle<T>(items: readonly T[], randomInt: RandomInt): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Which counting minute `now` falls in, and how many slots of it have opened by `now`. */
export function admissionWindow(settings: Pick<QueueSettings, 'opensAt' | 'admitPerMinute'>, now: number) {
  const since = Math.max(0, now - settings.opensAt);
  const minute = Math.floor(since / MINUTE_MS);
  const intoMinute = since - minute * MINUTE_MS;
  const slotMs = MINUTE_MS / settings.admitPerMinute;
  const opened = Math.min(settings.admitPerMinute, Math.floor(intoMinute / slotMs) + 1);
  return { minute, opened };
}

/**
 * How many to admit now: the slots of this minute not yet used, within the cap on active
 * buyers, never more than are waiting. Never negative.
 */
export function admissionsDue(
  settings: QueueSettings,
  state: { now: number; admittedThisMinute: number; activeBuyers: number; waiting: number },
): number {
  if (state.now < settings.opensAt) return 0;
  const { opened } = admissionWindow(settings, state.now);
  let due = opened - state.admittedThisMinute;
  if (settings.maxActiveBuyers !== undefined) due = Math.min(due, settings.maxActiveBuyers - state.activeBuyers);
  return Math.max(0, Math.min(due, state.waiting));
}

/** Seconds until the user `ahead` places back is admitted, at the set rate. */
export function estimatedWaitSeconds(ahead: number, admitPerMinute: number): number {
  return Math.ceil(((ahead + 1) * 60) / admitPerMinute);
}

/**
 * Median of the waits (ms) of those admitted so far; null before anyone is. The list is
 * kept small by the store (the most recent admissions).
 */
export function medianWait(waitsMs: readonly number[]): number | null {
  if (waitsMs.length === 0) return null;
  const sorted = waitsMs.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The safety net (QUEUE_ACTIVE_BUYERS): on when a show's active buyers exceed the
 * threshold, off again when they fall to half of it (hysteresis, so the queue does not
 * flap at the boundary) and nobody is waiting.
 */
export function safetyNetWanted(threshold: number, activeBuyers: number, isOn: boolean, waiting: number): boolean {
  if (!isOn) return activeBuyers > threshold;
  return waiting > 0 || activeBuyers > threshold / 2;
}

const PASS: CodeKind = { prefix: 'qp', purpose: 'queue-pass', fields: 3 };

export interface Pass {
  userId: string;
  showId: string;
  expiresAt: number;
}

export function signPass(pass: Pass, key: string): string {
  return signCode(PASS, [pass.userId, pass.showId, String(Math.floor(pass.expiresAt / 1000))], key);
}

/** The pass's holder and show if it is genuine, theirs, for this show and unexpired; else null. */
export function checkPass(code: string, expected: { userId: string; showId: string }, key: string, clock: Clock): Pass | null {
  const fields = readCode(PASS, code, key);
  if (!fields) return null;
  const [userId, showId, seconds] = fields as [string, string, string];
  const expiresAt = Number(seconds) * 1000;
  if (userId !== expected.userId || showId !== expected.showId) return null;
  if (!(expiresAt > clock.now())) return null;
  return { userId, showId, expiresAt };
}
