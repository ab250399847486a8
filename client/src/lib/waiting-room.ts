/**
 * The waiting room's pure bits on the client: the progress through the line, the wait in
 * words, when to announce a new position, and the pass kept for the session (per show).
 */
import type { MessageKey } from './messages.js';

/** What `Storage` the pass and the first place are kept in (sessionStorage in the app). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface StoredPass {
  pass: string;
  /** Epoch ms. */
  expiresAt: number;
}

const passKey = (showId: string) => `mm.pass.${showId}`;
const firstAheadKey = (showId: string) => `mm.queue.${showId}`;

export function savePass(store: KeyValue | undefined, showId: string, admitted: { pass: string; expiresAt: string }) {
  store?.setItem(passKey(showId), JSON.stringify({ pass: admitted.pass, expiresAt: Date.parse(admitted.expiresAt) }));
  // The wait is over: a later queue for this show starts its progress afresh.
  store?.removeItem(firstAheadKey(showId));
}

/** The show's pass while it is unexpired; an expired or unreadable one is forgotten. */
export function readPass(store: KeyValue | undefined, showId: string, now: number): StoredPass | null {
  const raw = store?.getItem(passKey(showId));
  if (!raw) return null;
  try {
    const p = JSON.parse(raw) as Partial<StoredPass>;
    if (typeof p.pass === 'string' && typeof p.expiresAt === 'number' && p.expiresAt > now) return { pass: p.pass, expiresAt: p.expiresAt };
  } catch {
    // fall through: not ours to read
  }
  store?.removeItem(passKey(showId));
  return null;
}

export const clearPass = (store: KeyValue | undefined, showId: string) => store?.removeItem(passKey(showId));

/**
 * How many were ahead at the first join this session: the start of the progress bar. A
 * longer line now than remembered (a new queue) starts again from now.
 */
export function firstAhead(store: KeyValue | undefined, showId: string, ahead: number): number {
  const remembered = Number(store?.getItem(firstAheadKey(showId)) ?? NaN);
  if (Number.isInteger(remembered) && remembered >= ahead) return remembered;
  store?.setItem(firstAheadKey(showId), String(ahead));
  return ahead;
}

/** 0..1: the share of the line ahead at the first join that has gone since. Nobody ahead: 1. */
export function queueProgress(first: number, ahead: number): number {
  if (first <= 0) return 1;
  return Math.min(1, Math.max(0, (first - ahead) / first));
}

/** The wait, rounded as people say it: "less than a minute", "about 3 minutes", "about 25 minutes", "about 2 hours". */
export function waitWords(seconds: number): { key: MessageKey; n: number } {
  if (seconds < 60) return { key: 'queue.waitUnderMinute', n: 1 };
  const minutes = Math.round(seconds / 60);
  if (minutes < 10) return { key: 'queue.waitMinutes', n: minutes };
  if (minutes < 60) return { key: 'queue.waitMinutes', n: Math.round(minutes / 5) * 5 };
  return { key: 'queue.waitHours', n: Math.round(minutes / 60) };
}

export interface Announced {
  /** The tenth of the progress (0..10) last said. */
  tenth: number;
  at: number;
  position: number;
}

/**
 * A screen reader is told the new place sparingly: when the progress passes another tenth,
 * or when the place changed and 30 s have gone since it was last said. Never twice a place.
 */
export function announceDue(last: Announced | null, next: Announced): boolean {
  if (!last) return true;
  if (next.position === last.position) return false;
  return next.tenth !== last.tenth || next.at - last.at >= 30_000;
}
