/** Prices in integer minor units (paise, fils); never taken from a client. */
import type { Booking } from '../../protocol/index.js';

type Currency = Booking['currency'];

/** Convenience fee on the ticket total and tax on that fee, in basis points. */
export const feePolicy: Record<Currency, { feeBps: number; taxBps: number }> = {
  INR: { feeBps: 600, taxBps: 1800 }, // GST 18 % on the convenience fee
  AED: { feeBps: 500, taxBps: 500 }, // VAT 5 %
};

const bps = (amount: number, points: number) => Math.round((amount * points) / 10_000);

export interface PricedSeat {
  seatId: string;
  category: string;
}

export function priceBooking(seats: PricedSeat[], prices: Record<string, number>, currency: Currency) {
  const lines = seats.map(({ seatId, category }) => {
    const price = prices[category];
    if (price === undefined) throw new Error(`no price for category ${category}`);
    return { seatId, category, price };
  });
  const tickets = lines.reduce((sum, l) => sum + l.price, 0);
  const { feeBps, taxBps } = feePolicy[currency];
  const convenienceFee = bps(tickets, feeBps);
  const tax = bps(convenienceFee, taxBps);
  return { lines, breakdown: { tickets, convenienceFee, tax }, total: tickets + convenienceFee + tax };
}

/** The price less what loyalty points pay (`discount`, at most the tickets' share the rules allow): a discount line, and the total the payment asks for. */
export function withPoints<T extends ReturnType<typeof priceBooking>>(priced: T, discount: number): T {
  if (discount <= 0) return priced;
  return { ...priced, breakdown: { ...priced.breakdown, discount }, total: priced.total - discount };
}
