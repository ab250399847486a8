/**
 * SMTP channel (SMTP_URL, e.g. smtps://user:pass@email-smtp.ap-south-1.amazonaws.com:465).
 * SMTP has no deduplication of its own: each message carries a Message-ID made from the
 * outbox id, the same for every retry, which mail systems use to drop duplicates (the
 * outbox sends at least once).
 */
import nodemailer from 'nodemailer';
import type { Notifier } from '../ports.js';

/** `booking.confirmed:bk_1` → `<booking.confirmed.bk_1@tickets.example.com>` (RFC 5322 dot-atom). */
export const messageIdOf = (id: string, domain: string) => `<${id.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '.')}@${domain}>`;

export function createSmtpNotifier(opts: { url: string; from: string; domain: string }): Notifier & { close(): void } {
  const transport = nodemailer.createTransport(opts.url);
  return {
    async send(message) {
      await transport.sendMail({
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // A cid makes nodemailer send the part inline (multipart/related) for the HTML to show.
        attachments: message.attachments?.map(({ filename, contentType, content, cid }) => ({ filename, contentType, content, cid })),
        messageId: messageIdOf(message.id, opts.domain),
        headers: { 'X-Movie-Magic-Event': message.kind },
      });
    },
    close: () => transport.close(),
  };
}
