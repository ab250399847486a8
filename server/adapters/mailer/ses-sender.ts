/** Sends one mail through Amazon SES (v2 SendEmail): the text the outbox rendered, to its one recipient. */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailSender } from '../../ports.js';

export function createSesSender(opts: {
  from: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): MailSender {
  // The queue is the retry: the message comes back after a backoff (mail-envelope.ts afterFailure).
  const client = new SESv2Client({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 2 });
  return {
    async send(mail) {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: opts.from,
          Destination: { ToAddresses: [mail.to] },
          Content: { Simple: { Subject: { Data: mail.subject, Charset: 'UTF-8' }, Body: { Text: { Data: mail.text, Charset: 'UTF-8' } } } },
        }),
      );
    },
  };
}
