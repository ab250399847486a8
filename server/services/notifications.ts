/**
 * The outbox dispatcher: delivers notifications written with their bookings, at
 * least once, with exponential backoff, parking them as failed after `maxAttempts`
 * (never dropping them). A lease (conditional claim) keeps two processes from
 * sending the same one at once; a crash between send and mark re-sends after the
 * lease with the same id, which every channel uses to deduplicate.
 */
import type { Logger } from 'pino';
import { accountMessage, formatLocal, notificationMessage, TICKET_QR_CID } from '../domain/messages.js';
import { resetPasswordCode, verifyEmailCode } from '../domain/sessions.js';
import type { BookingRecord, BookingStore, Clock, MailMessage, Metrics, NewNotification, Notifier, OutboxRecord, OutboxStore, UserStore } from '../ports.js';
import type { Tickets } from './tickets.js';

export interface NotificationPolicy {
  maxAttempts: number;
  /** First retry delay; doubles per attempt, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  leaseMs: number;
}

export const DEFAULT_NOTIFICATION_POLICY: NotificationPolicy = {
  maxAttempts: 8,
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  leaseMs: 30_000,
};

export function retryDelay(attempts: number, policy: NotificationPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

export function createNotifications(deps: {
  outbox: OutboxStore;
  bookings: BookingStore;
  users: UserStore;
  notifier: Notifier;
  /** The ticket a confirmation carries: code, QR, PDF and its signed link. */
  tickets: Pick<Tickets, 'code' | 'qr' | 'pdf' | 'pdfLink'>;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  /** Signing key and lifetime for the links in account mails. */
  links: { key: string; verifyEmailMs: number };
  policy?: NotificationPolicy;
  metrics?: Pick<Metrics, 'outboxDelivery' | 'outboxLag'> | null;
}) {
  const { outbox, bookings, users, notifier, clock, logger, publicUrl } = deps;
  const policy = deps.policy ?? DEFAULT_NOTIFICATION_POLICY;
  const inFlight = new Set<Promise<unknown>>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function deliver(id: string): Promise<'sent' | 'retry' | 'failed' | 'skipped'> {
    const note = await outbox.claim(id, clock.now(), policy.leaseMs);
    return note ? send(note) : 'skipped';
  }

  async function send(note: OutboxRecord): Promise<'sent' | 'retry' | 'failed'> {
    let message: MailMessage | null;
    try {
      message = await compose(note);
      if (message) await notifier.send(message);
    } catch (err) {
      return fail(note, err);
    }
    await outbox.markSent(note.id, clock.now());
    deps.metrics?.outboxDelivery('sent', Math.max(0, clock.now() - Date.parse(note.createdAt)) / 1000);
    if (message) logger.info({ notification: note.id, attempts: note.attempts }, 'notification sent');
    else logger.info({ notification: note.id }, 'notification no longer needed (superseded or done); not sent');
    return 'sent';
  }

  /** The mail for a notice, or null when it no longer applies (a replaced reset link, an email verified meanwhile). */
  async function compose(note: OutboxRecord): Promise<MailMessage | null> {
    const user = await users.get(note.userId);
    if (!user) throw new Error(`user ${note.userId} is missing`);
    const now = clock.now();
    const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    switch (note.kind) {
      case 'booking.confirmed':
      case 'booking.cancelled':
      case 'booking.expired':
      case 'booking.refunded': {
        const booking = await bookings.get(note.bookingId!);
        if (!booking) throw new Error(`booking ${note.bookingId} is missing`);
        if (note.kind === 'booking.confirmed') return confirmation(booking, user.email);
        return notificationMessage(note.kind, booking, user.email, { publicUrl });
      }
      case 'account.verify-email': {
        if (user.emailVerified) return null;
        const until = now + deps.links.verifyEmailMs;
        const link = `${publicUrl}/verify-email?token=${verifyEmailCode(user.id, until, deps.links.key)}`;
        return accountMessage(note.id, user.email, user.name, { kind: note.kind, link, validUntil: utc(until) });
      }
      case 'account.password-reset': {
        const nonce = note.id.split(':').at(-1)!;
        if (user.resetNonce !== nonce || (user.resetExpiresAt ?? 0) <= now) return null;
        const link = `${publicUrl}/reset-password?token=${resetPasswordCode(user.id, nonce, deps.links.key)}`;
        return accountMessage(note.id, user.email, user.name, { kind: note.kind, link, validUntil: utc(user.resetExpiresAt!) });
      }
      case 'account.password-changed':
        return accountMessage(note.id, user.email, user.name, { kind: note.kind, at: utc(Date.parse(note.createdAt)), resetLink: `${publicUrl}/forgot-password` });
    }
  }

  /** The confirmation with its ticket: the signed PDF link in both parts, the QR inline in the HTML, the PDF attached. */
  async function confirmation(booking: BookingRecord, to: string): Promise<MailMessage> {
    const { tickets } = deps;
    const link = await tickets.pdfLink(booking);
    const ticket = { code: tickets.code(booking.id), pdfUrl: link.url, validUntil: formatLocal(new Date(link.expiresAt).toISOString(), booking.show.timeZone) };
    const message = notificationMessage('booking.confirmed', booking, to, { publicUrl, ticket });
    // A text-only channel gets the link; rendering a PDF and a QR for it would be wasted work.
    if (notifier.textOnly) {
      const { html: _html, ...text } = message;
      return text;
    }
    const [pdf, qr] = await Promise.all([tickets.pdf(booking), tickets.qr(booking)]);
    return {
      ...message,
      attachments: [
        { filename: `movie-magic-${booking.id}.pdf`, contentType: 'application/pdf', content: pdf },
        { filename: 'ticket-qr.png', contentType: 'image/png', content: qr, cid: TICKET_QR_CID },
      ],
    };
  }

  async function fail(note: OutboxRecord, err: unknown): Promise<'retry' | 'failed'> {
    const message = err instanceof Error ? err.message : String(err);
    if (note.attempts >= policy.maxAttempts) {
      await outbox.markFailed(note.id, clock.now(), message);
      deps.metrics?.outboxDelivery('failed', null);
      logger.error({ notification: note.id, attempts: note.attempts, err: message }, 'notification parked as failed');
      return 'failed';
    }
    const next = clock.now() + retryDelay(note.attempts, policy);
    await outbox.markRetry(note.id, next, message);
    deps.metrics?.outboxDelivery('retry', null);
    logger.warn({ notification: note.id, attempts: note.attempts, retryAt: new Date(next).toISOString(), err: message }, 'notification failed, will retry');
    return 'retry';
  }

  function track<T>(p: Promise<T>): Promise<T> {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return p;
  }

  const service = {
    /** Sends what is due now; returns what happened to each. */
    async dispatchOnce(limit = 25): Promise<Record<string, number>> {
      const now = clock.now();
      const due = await outbox.due(now, limit);
      deps.metrics?.outboxLag(due.reduce((lag, n) => Math.max(lag, now - Date.parse(n.createdAt)), 0) / 1000);
      const results = await Promise.all(due.map((n) => track(deliver(n.id)).catch((err) => (logger.error({ err }, 'dispatch failed'), 'error'))));
      const counts: Record<string, number> = {};
      for (const r of results) counts[r] = (counts[r] ?? 0) + 1;
      return counts;
    },
    /** Right after the write that queued it: no need to wait for the next round. */
    kick(id: string) {
      void track(deliver(id)).catch((err) => logger.warn({ err, notification: id }, 'immediate delivery failed; the dispatcher will retry'));
    },
    /** A notice written already claimed by this process (its first attempt is ours): sent without a claim. */
    sendClaimed(note: NewNotification, now: number) {
      const record: OutboxRecord = { ...note, status: 'pending', attempts: 1, nextAttemptAt: now, createdAt: new Date(now).toISOString() };
      void track(send(record)).catch((err) => logger.warn({ err, notification: note.id }, 'immediate delivery failed; the dispatcher will retry'));
    },
    start(intervalMs: number) {
      const tick = () => {
        running = service
          .dispatchOnce()
          .catch((err) => logger.error({ err }, 'outbox round failed'))
          .finally(() => {
            running = null;
            if (timer) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    /** Waits for deliveries in flight (graceful shutdown, tests). */
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    failed: () => outbox.failed(),
    forBooking: (bookingId: string) => outbox.forBooking(bookingId),
    retryFailed: (id: string) => outbox.retryFailed(id, clock.now()),
  };
  return service;
}
export type Notifications = ReturnType<typeof createNotifications>;
