/**
 * What the pages say about a booking's payment, decided in one place from the booking the
 * server sent and the clock (see docs/payments.md for the states).
 */
import type { Booking, Refund } from '../../../protocol/schemas.js';

export type RefundState = Refund['status'];

export type PaymentView =
  /** Booked: paid (`paid`), or booked without a gateway (PAYMENT_GATEWAY=none). */
  | { kind: 'booked'; paid: boolean }
  /**
   * Waiting for the money, the deadline ahead (`expiresAt` null: the server sent none).
   * `declined`: the gateway's words for the last failed try. `reopen`: paying starts with
   * POST /pay (no gateway order yet, or a try after a decline).
   */
  | { kind: 'due'; expiresAt: number | null; payUrl: string | null; declined: string | null; reopen: boolean }
  /** The deadline passed and the server has not said what became of it yet: wait. */
  | { kind: 'deciding' }
  /** Time ran out but the money came after all: it goes back (`pending`, or `failed` and retried) or went back. */
  | { kind: 'refunding'; refund: RefundState; amount: number }
  /** Time ran out with no money taken. */
  | { kind: 'expired' }
  | { kind: 'cancelled' };

/** The least settled refund decides what is said (a failed one is retried by the server, so it is still on its way). */
const worstFirst: RefundState[] = ['failed', 'pending', 'succeeded'];

function lateRefund(b: Booking): { refund: RefundState; amount: number } {
  const refunds = b.payment?.refunds ?? [];
  const state = worstFirst.find((s) => refunds.some((r) => r.status === s)) ?? 'pending';
  const amount = refunds.length ? refunds.reduce((sum, r) => sum + r.amount, 0) : (b.payment?.amount ?? b.total);
  return { refund: state, amount };
}

export function paymentView(b: Booking, now: number): PaymentView {
  const p = b.payment;
  switch (b.status) {
    case 'confirmed':
      return { kind: 'booked', paid: p?.status === 'captured' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'expired':
      return p && (p.status === 'captured' || p.refunds.length > 0) ? { kind: 'refunding', ...lateRefund(b) } : { kind: 'expired' };
    case 'pending_payment': {
      // Captured but not yet confirmed is a moment inside one server write: the news follows.
      if (p?.status === 'captured' || p?.status === 'expired') return { kind: 'deciding' };
      const expiresAt = p ? Date.parse(p.expiresAt) : NaN;
      if (Number.isFinite(expiresAt) && expiresAt <= now) return { kind: 'deciding' };
      const payUrl = p?.payUrl ?? null;
      const declined = p?.lastError ?? null;
      return { kind: 'due', expiresAt: Number.isFinite(expiresAt) ? expiresAt : null, payUrl, declined, reopen: payUrl === null || declined !== null };
    }
  }
}

/**
 * The words for a decline whose reason names its kind (`card_declined: …`, as the test
 * gateway and Stripe's codes say it), in the user's language; null for any other reason,
 * which is shown as the gateway wrote it.
 */
export function declinedKey(reason: string): 'payDeclined.card' | 'payDeclined.upi' | 'payDeclined.netbanking' | 'payDeclined.wallet' | null {
  const kind = /^(card|upi|netbanking|wallet)_declined\b/.exec(reason)?.[1] as 'card' | 'upi' | 'netbanking' | 'wallet' | undefined;
  return kind ? `payDeclined.${kind}` : null;
}

/**
 * The return page (/bookings/:id/paid): the user came back from the gateway. A payment
 * still due with no decline means the gateway has not told us yet, so it waits.
 */
export type ReturnState = 'waiting' | 'paid' | 'declined' | 'refunding' | 'expired' | 'other';

export function returnState(view: PaymentView | null): ReturnState {
  if (view === null) return 'waiting';
  switch (view.kind) {
    case 'booked':
      return 'paid';
    case 'due':
      return view.declined ? 'declined' : 'waiting';
    case 'deciding':
      return 'waiting';
    case 'refunding':
      return 'refunding';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'other';
  }
}

const rank: Record<Booking['status'], number> = { pending_payment: 0, confirmed: 1, expired: 1, cancelled: 2 };
const settled = (b: Booking) => b.payment?.refunds.filter((r) => r.status !== 'pending').length ?? 0;

/**
 * Which of two states of one booking to show: the news (socket), the answer of a check and a
 * re-read after a reconnect may arrive in any order, and an older one must not undo a newer.
 */
export function newerBooking(shown: Booking | null, arrived: Booking): Booking {
  if (!shown || shown.id !== arrived.id) return arrived;
  if (rank[arrived.status] !== rank[shown.status]) return rank[arrived.status] > rank[shown.status] ? arrived : shown;
  return settled(arrived) < settled(shown) ? shown : arrived;
}
