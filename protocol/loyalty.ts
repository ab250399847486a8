/** Loyalty points: the ledger, the tier, and what a booking used and earned (docs/protocol.md "Loyalty"). */
import { z } from 'zod';

const Points = z.number().int().nonnegative();

export const Tier = z.enum(['member', 'silver', 'gold']);
export type Tier = z.infer<typeof Tier>;

/** What a booking used and earns: `redeem` points paid `discount` (minor units); `earn` points are credited once it is confirmed. */
export const BookingPoints = z.object({ earn: Points, redeem: Points, discount: Points });
export type BookingPoints = z.infer<typeof BookingPoints>;

/** How many points to pay with (the server prices them and caps them; 0 or absent: none). */
export const UsePoints = z.number().int().min(0).max(1_000_000);

/** One ledger entry: one per kind and booking at most; `points` signed (+ credited, − debited). */
export const LedgerEntry = z.object({
  kind: z.enum(['earn', 'redeem', 'return', 'rebook', 'refund', 'reverse']),
  bookingId: z.string(),
  points: z.number().int(),
  at: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** `GET /api/me/loyalty`. `tierPoints`: earned in the last 12 months (what the tier is from); ledger newest first. */
export const LoyaltyAccount = z.object({
  points: Points,
  tier: Tier,
  tierPoints: z.number().int(),
  ledger: z.array(LedgerEntry),
});
export type LoyaltyAccount = z.infer<typeof LoyaltyAccount>;

/**
 * On a signed-in caller's quote: the balance, the most points these seats allow and what they
 * would save (`maxDiscount`, minor units), those applied (`?points=N`) with their discount, and
 * the points the booking earns as quoted.
 */
export const QuotePoints = z.object({ balance: Points, max: Points, maxDiscount: Points, applied: Points, discount: Points, earn: Points });
export type QuotePoints = z.infer<typeof QuotePoints>;
