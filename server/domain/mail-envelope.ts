/**
 * The mailer behind the SNS topic (mailer-main.ts): what one queued message says, who it is
 * for, and what to do when sending it fails. Pure: no SDK, no clock.
 *
 * A message reaches the queue in one of two shapes, depending on the subscription's
 * RawMessageDelivery: the SNS envelope (JSON with Type "Notification", Subject, Message and
 * MessageAttributes {name: {Type, Value}}), or the raw Message with the attributes as the SQS
 * message's own attributes ({name: {DataType, StringValue}}). The publisher (adapters/sns.ts)
 * sets `email` (the one recipient), `event`, `messageId` and `subject` (whole; SNS's Subject
 * field stops at 100 characters and raw delivery drops it).
 */

export interface QueuedMail {
  to: string;
  subject: string;
  text: string;
  /** The outbox id (`booking.confirmed:bk_…`): the same for every redelivery of one mail. */
  messageId: string | null;
  kind: string | null;
}

export type SqsAttributes = Record<string, { DataType?: string; StringValue?: string } | undefined>;

export type ParsedMail = { ok: true; mail: QueuedMail } | { ok: false; reason: string };

/** One address, the way SES takes it in Destination.ToAddresses: no display name, no lists, no line breaks. */
export function validRecipient(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (v.length > 254 || /[\s,;<>"()[\]\\]/.test(v)) return null;
  const m = /^([^@]{1,64})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/.exec(v);
  if (!m || m[1]!.startsWith('.') || m[1]!.endsWith('.') || m[1]!.includes('..')) return null;
  return v;
}

interface Envelope {
  Type: string;
  Message: string;
  Subject?: string;
  MessageAttributes?: Record<string, { Type?: string; Value?: string } | undefined>;
}

function envelopeOf(body: string): Envelope | null {
  if (!body.startsWith('{')) return null;
  try {
    const e = JSON.parse(body) as Partial<Envelope>;
    return e && e.Type === 'Notification' && typeof e.Message === 'string' ? (e as Envelope) : null;
  } catch {
    return null;
  }
}

/** The mail a queued message carries (enveloped or raw delivery), or why it cannot be sent. */
export function parseQueuedMail(body: string | undefined, sqsAttributes: SqsAttributes = {}): ParsedMail {
  if (typeof body !== 'string' || body === '') return { ok: false, reason: 'empty message body' };
  const envelope = envelopeOf(body);
  const attr = (name: string): string | undefined =>
    envelope ? envelope.MessageAttributes?.[name]?.Value : sqsAttributes[name]?.StringValue;
  const rawTo = attr('email');
  if (rawTo === undefined) return { ok: false, reason: 'no email attribute' };
  const to = validRecipient(rawTo);
  if (!to) return { ok: false, reason: 'the email attribute is not one valid address' };
  const subject = attr('subject') ?? envelope?.Subject;
  if (!subject) return { ok: false, reason: 'no subject' };
  const text = envelope ? envelope.Message : body;
  return { ok: true, mail: { to, subject, text, messageId: attr('messageId') ?? null, kind: attr('event') ?? null } };
}

/** Failures SES will answer the same way every time: retrying cannot help. */
const PERMANENT_SES_ERRORS = new Set(['BadRequestException', 'InvalidParameterValue', 'MessageRejected', 'NotFoundException']);

export type FailureKind = 'permanent' | 'transient';

export function failureKind(err: unknown): FailureKind {
  const name = (err as { name?: string } | null)?.name ?? '';
  return PERMANENT_SES_ERRORS.has(name) ? 'permanent' : 'transient';
}

/**
 * What becomes of a message whose mail was not sent: it stays on the queue (never deleted), and
 * comes back after `visibleInSeconds`. A transient failure backs off exponentially with the
 * receive count (5 s, 10 s, 20 s, … capped); a permanent one comes back at once, so the queue's
 * redrive policy parks it in the dead-letter queue within its maxReceiveCount quick receives.
 */
export function afterFailure(kind: FailureKind, receiveCount: number, opts: { baseSeconds?: number; maxSeconds?: number } = {}): { visibleInSeconds: number } {
  if (kind === 'permanent') return { visibleInSeconds: 0 };
  const base = opts.baseSeconds ?? 5;
  const max = opts.maxSeconds ?? 900;
  return { visibleInSeconds: Math.min(max, base * 2 ** Math.max(0, receiveCount - 1)) };
}
