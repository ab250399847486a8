/** Bookings for the client's tests, in every payment state (a base plus what differs). */
import type { Booking, Payment, Refund } from '../../../protocol/schemas.js';

export const T0 = Date.parse('2026-12-02T10:00:00Z');
export const DEADLINE = T0 + 10 * 60_000;

export function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_1',
    gateway: 'test',
    amount: 53_100,
    currency: 'INR',
    status: 'pending',
    payUrl: 'https://pay.example/checkout/pay_1',
    expiresAt: new Date(DEADLINE).toISOString(),
    refunds: [],
    ...over,
  };
}

export function refund(over: Partial<Refund> = {}): Refund {
  return { id: 'rf_1', amount: 53_100, status: 'pending', reason: 'late_payment', createdAt: new Date(DEADLINE + 60_000).toISOString(), ...over };
}

export function booking(over: Partial<Booking> = {}): Booking {
  return {
    id: 'bk_1',
    showId: 'show_1',
    seats: ['G7', 'G8'],
    lines: [
      { seatId: 'G7', category: 'prime', price: 25_000 },
      { seatId: 'G8', category: 'prime', price: 25_000 },
    ],
    currency: 'INR',
    total: 53_100,
    breakdown: { tickets: 50_000, convenienceFee: 2_500, tax: 600 },
    status: 'pending_payment',
    createdAt: new Date(T0).toISOString(),
    payment: payment(),
    show: {
      movieTitle: 'Kalki',
      theatreName: 'PVR Inorbit',
      theatreAddress: 'Hitech City, Hyderabad',
      screenName: 'Screen 2',
      language: 'Telugu',
      startsAt: '2026-12-05T18:30:00+05:30',
      timeZone: 'Asia/Kolkata',
    },
    ...over,
  };
}
