/** The mailer's pure part: both SNS delivery shapes, the one recipient, and what a failure leads to. */
import { describe, expect, it } from 'vitest';
import { afterFailure, failureKind, parseQueuedMail, validRecipient } from '../../server/domain/mail-envelope.js';

const envelope = (attrs: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Type: 'Notification',
    TopicArn: 'arn:aws:sns:eu-west-1:123456789012:mm',
    Subject: 'Booking confirmed: Pushpa 2, G7',
    Message: 'Your booking is confirmed.\nSeats: G7',
    MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { Type: 'String', Value: v }])),
    ...extra,
  });
const raw = (attrs: Record<string, string>) => Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));

describe('parseQueuedMail', () => {
  it('reads the SNS envelope: recipient from the email attribute, the whole subject attribute over the 100-character Subject', () => {
    const long = `Booking confirmed: ${'A very long title '.repeat(8)}`;
    const r = parseQueuedMail(envelope({ email: 'asha@example.com', subject: long, event: 'booking.confirmed', messageId: 'booking.confirmed:bk_1' }));
    expect(r).toEqual({ ok: true, mail: { to: 'asha@example.com', subject: long, text: 'Your booking is confirmed.\nSeats: G7', kind: 'booking.confirmed', messageId: 'booking.confirmed:bk_1' } });
  });
  it('falls back to the envelope Subject when there is no subject attribute', () => {
    const r = parseQueuedMail(envelope({ email: 'asha@example.com' }));
    expect(r.ok && r.mail.subject).toBe('Booking confirmed: Pushpa 2, G7');
  });
  it('reads raw delivery: the body is the text, the attributes are the SQS message attributes', () => {
    const r = parseQueuedMail('Your booking is confirmed.', raw({ email: 'ravi@example.com', subject: 'Booking confirmed' }));
    expect(r).toEqual({ ok: true, mail: { to: 'ravi@example.com', subject: 'Booking confirmed', text: 'Your booking is confirmed.', kind: null, messageId: null } });
  });
  it('a raw body that happens to be JSON is still the text (only a Notification envelope is unwrapped)', () => {
    const r = parseQueuedMail('{"hello":1}', raw({ email: 'ravi@example.com', subject: 's' }));
    expect(r.ok && r.mail.text).toBe('{"hello":1}');
  });
  it('refuses a message without an email attribute, with an invalid one, without a subject, or empty', () => {
    expect(parseQueuedMail(envelope({}))).toEqual({ ok: false, reason: 'no email attribute' });
    expect(parseQueuedMail(envelope({ email: 'a@example.com, b@example.com' }))).toMatchObject({ ok: false });
    expect(parseQueuedMail('text', raw({ email: 'not-an-address' }))).toMatchObject({ ok: false });
    expect(parseQueuedMail('text', raw({ email: 'a@example.com' }))).toEqual({ ok: false, reason: 'no subject' });
    expect(parseQueuedMail('', raw({ email: 'a@example.com', subject: 's' }))).toEqual({ ok: false, reason: 'empty message body' });
  });
  it('an envelope never takes the recipient from the SQS attributes (only from what was published)', () => {
    expect(parseQueuedMail(envelope({ subject: 's' }), raw({ email: 'intruder@example.com' }))).toEqual({ ok: false, reason: 'no email attribute' });
  });
});

describe('validRecipient', () => {
  it('takes one plain address and nothing that could add a recipient or a header', () => {
    expect(validRecipient(' asha.rao+tickets@mail.example.co.in ')).toBe('asha.rao+tickets@mail.example.co.in');
    for (const bad of ['', 'a@b', 'a@@b.com', 'Asha <a@b.com>', 'a@b.com\r\nBcc: x@y.com', 'a;b@c.com', '.a@b.com', 'a..b@c.com', `${'a'.repeat(65)}@b.com`, 42, null]) {
      expect(validRecipient(bad), String(bad)).toBeNull();
    }
  });
});

describe('after a failed send', () => {
  it('SES refusals that repeat are permanent; throttling, outages and unknown errors are transient', () => {
    for (const name of ['MessageRejected', 'BadRequestException']) expect(failureKind(Object.assign(new Error('x'), { name }))).toBe('permanent');
    for (const name of ['TooManyRequestsException', 'InternalFailure', 'TimeoutError', 'ECONNREFUSED']) expect(failureKind(Object.assign(new Error('x'), { name }))).toBe('transient');
    expect(failureKind(undefined)).toBe('transient');
  });
  it('a transient failure comes back after 5 s, doubling per receive up to 15 min; a permanent one at once (the redrive policy parks it)', () => {
    expect([1, 2, 3, 4, 20].map((n) => afterFailure('transient', n).visibleInSeconds)).toEqual([5, 10, 20, 40, 900]);
    expect(afterFailure('permanent', 1).visibleInSeconds).toBe(0);
  });
});
