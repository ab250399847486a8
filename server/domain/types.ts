/**
 * Types the domain works with and the ports pass around (the domain never imports the
 * ports; the ports use these).
 */
import type { Booking, Payment, Refund } from '../../protocol/index.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A refund as stored: the gateway's id for it once it was asked, and the last failure. */
export type RefundRecord = Refund & { refundRef?: string; lastError?: string };
/** A payment as stored: the gateway's order and capture (never shown to clients). */
export type PaymentRecord = Omit<Payment, 'refunds'> & {
  orderRef?: string;
  captureRef?: string;
  /** Set by reconciliation when the booking and the gateway disagree (admins look). */
  flagged?: string;
  refunds: RefundRecord[];
};
export type BookingRecord = Omit<Booking, 'payment'> & { userId: string; idempotencyKey: string; payment?: PaymentRecord };

export type NotificationKind =
  | 'booking.confirmed'
  | 'booking.cancelled'
  /** A pending_payment booking ran out of time: seats released. */
  | 'booking.expired'
  /** Money arrived after the deadline and the seats were gone: refunded in full. */
  | 'booking.refunded'
  | 'account.verify-email'
  | 'account.password-reset'
  | 'account.password-changed';

/** A file sent with a mail; with `cid` it is an inline part the HTML shows as `cid:<cid>`. */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  cid?: string;
}
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same mail as HTML (every value escaped); channels that cannot carry it send `text`. */
  html?: string;
  attachments?: MailAttachment[];
  /** Deduplication id: the same id is delivered once. */
  id: string;
  kind: string;
}
