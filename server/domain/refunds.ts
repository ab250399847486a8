/** Refund policy: pure, boundaries inclusive (exactly 24 h before the show → the 24 h tier). */

export interface RefundTier {
  /** Applies when the cancellation is at least this many hours before the show. */
  hoursBefore: number;
  percent: number;
}
export type RefundPolicy = RefundTier[];

export const DEFAULT_REFUND_POLICY: RefundPolicy = [
  { hoursBefore: 24, percent: 100 },
  { hoursBefore: 2, percent: 50 },
];

/** Parses "24:100,2:50" (hours before the show : percent refunded). */
export function parseRefundPolicy(text: string): RefundPolicy {
  const tiers = text.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d{1,3})\s*$/.exec(part);
    if (!m) throw new Error(`Refund policy tier "${part}" is not HOURS:PERCENT`);
    const tier = { hoursBefore: Number(m[1]), percent: Number(m[2]) };
    if (tier.percent > 100) throw new Error(`Refund policy tier "${part}": percent above 100`);
    return tier;
  });
  return tiers.sort((a, b) => b.hoursBefore - a.hoursBefore);
}

export function refundFor(args: { total: number; startsAt: number; now: number; policy: RefundPolicy }): {
  percent: number;
  amount: number;
} {
  const msBefore = args.startsAt - args.now;
  const tier = [...args.policy].sort((a, b) => b.hoursBefore - a.hoursBefore).find((t) => msBefore >= t.hoursBefore * 3_600_000);
  const percent = tier?.percent ?? 0;
  // Minor units, rounded half up.
  return { percent, amount: Math.round((args.total * percent) / 100) };
}

export function describePolicy(policy: RefundPolicy): string {
  const parts = policy.map((t) => `${t.percent}% up to ${t.hoursBefore} h before the show`);
  return `${parts.join(', ')}, none after.`;
}
