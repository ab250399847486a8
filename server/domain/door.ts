/**
 * When the door lets a ticket in: from `opensBeforeMs` before the show starts until
 * `closesAfterEndMs` after it ends (start + runtime). Opening inclusive, closing exclusive.
 */

export interface DoorPolicy {
  opensBeforeMs: number;
  closesAfterEndMs: number;
}

export const DEFAULT_DOOR_POLICY: DoorPolicy = { opensBeforeMs: 60 * 60_000, closesAfterEndMs: 0 };

export interface ShowTimes {
  /** Epoch ms. */
  startsAt: number;
  /** Epoch ms: start + runtime. */
  endsAt: number;
}

export interface DoorWindow {
  opensAt: number;
  closesAt: number;
}

export type DoorTiming = 'early' | 'open' | 'late';

export function doorWindow(show: ShowTimes, policy: DoorPolicy): DoorWindow {
  return { opensAt: show.startsAt - policy.opensBeforeMs, closesAt: show.endsAt + policy.closesAfterEndMs };
}

export function doorTiming(window: DoorWindow, now: number): DoorTiming {
  if (now < window.opensAt) return 'early';
  return now < window.closesAt ? 'open' : 'late';
}
