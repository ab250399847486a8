/** A user's loyalty account (points, tier, ledger) and the tier the waiting room asks about. */
import type { LoyaltyAccount } from '../../protocol/index.js';
import { pointsInWindow, tierOf, type Tier } from '../domain/loyalty.js';
import type { Clock, LoyaltyStore } from '../ports.js';

export function createLoyalty(deps: { store: LoyaltyStore; clock: Clock }) {
  return {
    async account(userId: string): Promise<LoyaltyAccount> {
      const { points, entries } = await deps.store.account(userId);
      const now = deps.clock.now();
      const ledger = [...entries]
        .sort((a, b) => b.at - a.at || a.kind.localeCompare(b.kind))
        .map((e) => ({ kind: e.kind, bookingId: e.bookingId, points: e.points, at: new Date(e.at).toISOString() }));
      return { points, tier: tierOf(entries, now), tierPoints: pointsInWindow(entries, now), ledger };
    },
    async tier(userId: string): Promise<Tier> {
      return tierOf((await deps.store.account(userId)).entries, deps.clock.now());
    },
  };
}
export type Loyalty = ReturnType<typeof createLoyalty>;
