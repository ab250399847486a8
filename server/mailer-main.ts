/**
 * The mailer worker: `node --import tsx server/mailer-main.ts` (pm2 app `mailer`).
 * Reads the SQS queue subscribed to SNS_TOPIC_ARN and sends each message to its `email`
 * attribute through SES (services/mailer.ts). Refuses to start on a queue without a
 * redrive policy: without a dead-letter queue a message that can never be sent would come
 * back forever.
 */
import pino from 'pino';
import { createSesSender } from './adapters/mailer/ses-sender.js';
import { createSqsMailQueue } from './adapters/mailer/sqs-queue.js';
import { loadMailerConfig } from './config.js';
import { createMailer } from './services/mailer.js';

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadMailerConfig();
  const logger = pino({ level: config.logLevel, base: { app: 'mailer' } });
  const queue = createSqsMailQueue({ queueUrl: config.queueUrl, region: config.region, endpoint: config.sqsEndpoint, waitSeconds: config.waitSeconds });
  const redrive = await queue.redrivePolicy();
  if (!redrive) throw new Error(`The queue ${config.queueUrl} has no redrive policy: give it a dead-letter queue (RedrivePolicy deadLetterTargetArn + maxReceiveCount).`);
  const mailer = createMailer({ queue, sender: createSesSender({ from: config.from, region: config.region, endpoint: config.sesEndpoint }), logger });
  mailer.start();
  logger.info({ queue: config.queueUrl, deadLetter: redrive.deadLetterTargetArn, maxReceiveCount: redrive.maxReceiveCount }, 'Movie Magic mailer is ready');
  process.send?.('ready');
  const stop = async (signal: string) => {
    logger.info({ signal }, 'mailer: stopping after the current batch');
    await mailer.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
