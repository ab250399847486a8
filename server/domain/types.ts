/**
 * Types the domain works with and the ports pass around (the domain never imports the
 * ports; the ports use these).
 */
import type { Booking } from '../../protocol/index.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export type BookingRecord = Booking & { userId: string; idempotencyKey: string };

export type NotificationKind =
  | 'booking.confirmed'
  | 'booking.cancelled'
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
