import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../ports.js';

/**
 * Amazon SNS channel: one Publish per message, with the recipient and event type as
 * message attributes: the topic's one subscriber, the mailer (mailer-main.ts), sends each
 * message to its `email` alone (people are never subscribed to the topic). SNS carries
 * text only: the plain part, with its links (a confirmation's signed PDF link among them);
 * the HTML part and attachments stay behind.
 */
export function createSnsNotifier(opts: {
  topicArn: string;
  region?: string;
  /** An SNS-compatible endpoint (an emulator in tests); unset on AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): Notifier {
  // Our outbox retries with backoff; the SDK's own retries would only hide the failures.
  const client = new SNSClient({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, maxAttempts: 2 });
  const fifo = opts.topicArn.endsWith('.fifo');
  return {
    textOnly: true,
    async send(message) {
      await client.send(
        new PublishCommand({
          TopicArn: opts.topicArn,
          Subject: message.subject.slice(0, 100),
          Message: message.text,
          MessageAttributes: {
            email: { DataType: 'String', StringValue: message.to },
            event: { DataType: 'String', StringValue: message.kind },
            messageId: { DataType: 'String', StringValue: message.id },
            // Whole (Subject stops at 100 characters) and kept by raw delivery, which drops Subject.
            subject: { DataType: 'String', StringValue: message.subject },
          },
          ...(fifo ? { MessageDeduplicationId: message.id, MessageGroupId: message.to } : {}),
        }),
      );
    },
  };
}
