/**
 * The mailer behind the SNS topic: takes each queued message, sends it to its one `email`
 * recipient, deletes it once sent. A failed send is never deleted: it comes back after a
 * backoff, and the queue's redrive policy parks it in the dead-letter queue after
 * maxReceiveCount receives. A message without one valid recipient is a permanent failure:
 * logged and released at once, so it reaches the dead-letter queue within those receives
 * (an operator can read it there; nothing is thrown away silently).
 */
import type { Logger } from 'pino';
import { afterFailure, failureKind, parseQueuedMail } from '../domain/mail-envelope.js';
import type { MailQueue, MailSender, ReceivedMail } from '../ports.js';

export type MailOutcome = 'sent' | 'invalid' | 'failed';

export interface MailerDeps {
  queue: MailQueue;
  sender: MailSender;
  logger: Logger;
}

export async function handleMail(deps: MailerDeps, m: ReceivedMail): Promise<MailOutcome> {
  const parsed = parseQueuedMail(m.body, m.attributes);
  if (!parsed.ok) {
    deps.logger.error({ sqsMessageId: m.id, receiveCount: m.receiveCount, reason: parsed.reason }, 'mailer: message cannot be sent; left for the dead-letter queue');
    await deps.queue.release(m.handle, afterFailure('permanent', m.receiveCount).visibleInSeconds);
    return 'invalid';
  }
  const { mail } = parsed;
  try {
    await deps.sender.send({ to: mail.to, subject: mail.subject, text: mail.text });
  } catch (err) {
    const kind = failureKind(err);
    const { visibleInSeconds } = afterFailure(kind, m.receiveCount);
    deps.logger.warn({ err, messageId: mail.messageId, receiveCount: m.receiveCount, kind, retryInSeconds: visibleInSeconds }, 'mailer: send failed; the message stays on the queue');
    await deps.queue.release(m.handle, visibleInSeconds);
    return 'failed';
  }
  await deps.queue.delete(m.handle);
  deps.logger.info({ messageId: mail.messageId, kind: mail.kind }, 'mailer: sent');
  return 'sent';
}

/** Long-polls until stopped; `stop()` lets the current batch finish. */
export function createMailer(deps: MailerDeps) {
  let running = false;
  let loop: Promise<void> | null = null;
  async function pollOnce(): Promise<MailOutcome[]> {
    const batch = await deps.queue.receive();
    return Promise.all(batch.map((m) => handleMail(deps, m)));
  }
  return {
    pollOnce,
    start() {
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await pollOnce();
          } catch (err) {
            deps.logger.error({ err }, 'mailer: receive failed; trying again shortly');
            await new Promise((r) => setTimeout(r, 2000));
          }
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
