/** The mail queue on SQS: long polls, receive counts, delete and release by receipt handle. */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MailQueue } from '../../ports.js';

export interface SqsQueueOptions {
  queueUrl: string;
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Long-poll wait (max 20 s); shorter in tests so a stop does not wait long. */
  waitSeconds?: number;
  /** How long a received message stays hidden while it is being sent. */
  visibilitySeconds?: number;
}

export function createSqsMailQueue(opts: SqsQueueOptions): MailQueue & { redrivePolicy(): Promise<{ deadLetterTargetArn: string; maxReceiveCount: number } | null> } {
  const client = new SQSClient({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials });
  const QueueUrl = opts.queueUrl;
  return {
    async receive() {
      const got = await client.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: opts.waitSeconds ?? 20,
          VisibilityTimeout: opts.visibilitySeconds ?? 60,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          MessageAttributeNames: ['All'],
        }),
      );
      return (got.Messages ?? []).map((m) => ({
        id: m.MessageId ?? '',
        handle: m.ReceiptHandle!,
        body: m.Body,
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
        attributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { DataType: v.DataType, StringValue: v.StringValue }])),
      }));
    },
    async delete(handle) {
      await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle }));
    },
    async release(handle, seconds) {
      await client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: Math.round(seconds) }));
    },
    /** The queue's dead-letter settings; null when it has none (the mailer refuses to run without). */
    async redrivePolicy() {
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
      if (!Attributes?.RedrivePolicy) return null;
      const p = JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
      return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) };
    },
  };
}
