/**
 * The SNS channel through the real AWS SDK against moto_server (an AWS emulator, the
 * one fake here: real SNS cannot run on this machine). The topic fans out to an SQS
 * queue, read back through the SDK: subject, message and attributes as published.
 */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { createSnsNotifier } from '../../server/adapters/sns.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness } from '../support/harness.js';
import { hasMoto, startMoto } from '../support/moto.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'eu-west-1';
let moto: Awaited<ReturnType<typeof startMoto>> | undefined;

if (!hasMoto) console.warn('[sns] SKIPPED: moto_server is not installed on this machine, so the SNS adapter test cannot run.');

beforeAll(async () => {
  if (hasMoto) moto = await startMoto();
});
afterAll(async () => moto?.stop());

it.skipIf(!hasMoto)('publishes to the topic with subject, body and per-user message attributes', async () => {
  const endpoint = moto!.endpoint;
  const sns = new SNSClient({ region, endpoint, credentials });
  const sqs = new SQSClient({ region, endpoint, credentials });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'moviemagic-notifications' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'moviemagic-inbox' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));

  const notifier = createSnsNotifier({ topicArn: TopicArn!, region, endpoint, credentials });
  await notifier.send({
    id: 'booking.confirmed:bk_sns_1',
    kind: 'booking.confirmed',
    to: 'asha@example.com',
    subject: 'Booking confirmed: Pushpa 2, G7, G8',
    text: 'Your booking is confirmed.\nSeats: G7, G8',
  });

  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
  expect(got.Messages).toHaveLength(1);
  const envelope = JSON.parse(got.Messages![0]!.Body!) as {
    TopicArn: string;
    Subject: string;
    Message: string;
    MessageAttributes: Record<string, { Type: string; Value: string }>;
  };
  expect(envelope.TopicArn).toBe(TopicArn);
  expect(envelope.Subject).toBe('Booking confirmed: Pushpa 2, G7, G8');
  expect(envelope.Message).toBe('Your booking is confirmed.\nSeats: G7, G8');
  expect(envelope.MessageAttributes).toEqual({
    email: { Type: 'String', Value: 'asha@example.com' },
    event: { Type: 'String', Value: 'booking.confirmed' },
    messageId: { Type: 'String', Value: 'booking.confirmed:bk_sns_1' },
    subject: { Type: 'String', Value: 'Booking confirmed: Pushpa 2, G7, G8' },
  });
});

it.skipIf(!hasMoto)('a publish to a topic that does not exist fails loudly (so the outbox retries it)', async () => {
  const notifier = createSnsNotifier({ topicArn: `arn:aws:sns:${region}:123456789012:missing`, region, endpoint: moto!.endpoint, credentials });
  await expect(notifier.send({ id: 'x', kind: 'booking.confirmed', to: 'a@b.c', subject: 's', text: 't' })).rejects.toThrow();
});

it.skipIf(!hasMoto)('a booking confirmation over SNS is the text with the signed PDF link, which opens the PDF without a login', async () => {
  const endpoint = moto!.endpoint;
  const sns = new SNSClient({ region, endpoint, credentials });
  const sqs = new SQSClient({ region, endpoint, credentials });
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'moviemagic-confirmations' }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'moviemagic-confirmations-inbox' }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  const h = await startHarness({ notifier: createSnsNotifier({ topicArn: TopicArn!, region, endpoint, credentials }) });
  try {
    const show = await createShow(h.app.stores.catalog, { now: h.clock.now() });
    const u = await h.register('sns-buyer');
    const s = await h.connect(u.token);
    await ack(s, 'seat:hold', { showId: show.showId, seatIds: ['B5'] });
    const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: 'sns-booking-1' });
    if (!r.ok) throw new Error(JSON.stringify(r));
    await h.app.services.notifications.drain();

    const bodies: { Message: string; MessageAttributes: Record<string, { Value: string }> }[] = [];
    for (let i = 0; i < 5 && !bodies.some((b) => b.MessageAttributes.event?.Value === 'booking.confirmed'); i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...(got.Messages ?? []).map((m) => JSON.parse(m.Body!)));
    }
    const confirmation = bodies.find((b) => b.MessageAttributes.event?.Value === 'booking.confirmed')!;
    expect(confirmation.Message).toContain('Your booking is confirmed.');
    expect(confirmation.Message).not.toContain('<');
    const link = /^PDF ticket: (\S+)$/m.exec(confirmation.Message)?.[1];
    expect(link).toMatch(/^http:\/\/localhost:3000\/api\/tickets\/MMT1\.\S+\/ticket\.pdf$/);
    const pdf = await fetch(link!.replace('http://localhost:3000', h.url));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  } finally {
    await h.close();
  }
});
