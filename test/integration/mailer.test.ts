/**
 * Issue 18: the mailer behind SNS. The topic's one subscriber is an SQS queue (with a
 * dead-letter queue); the mailer worker (server/mailer-main.ts, a real process) sends each
 * message to its `email` attribute through SES. All of it against moto_server: the app
 * (createApp with the real SNS adapter, as main.ts wires it for SNS_TOPIC_ARN) publishes to
 * moto's SNS, the worker reads moto's SQS and sends through moto's SES, whose sent mail is read
 * back at /moto-api/data.json (moto 5.2.1: `ses.Message`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ack, Booking } from '../../protocol/index.js';
import { createSnsNotifier } from '../../server/adapters/sns.js';
import { createShow } from '../support/fixtures.js';
import { ack, startHarness, type Harness } from '../support/harness.js';
import { hasMoto, startMoto } from '../support/moto.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'eu-west-1';
const MAX_RECEIVES = 2;

let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
let h: Harness | undefined;
let mailer: { child: ChildProcess; output: () => string } | undefined;
let topicArn = '';
let dlqUrl = '';
let sqs: SQSClient;

if (!hasMoto) console.warn('[mailer] SKIPPED: moto_server is not installed on this machine, so the SNS → SQS → SES mailer cannot be tested.');

interface SentMail {
  destinations: { ToAddresses: string[] };
  source: string;
  subject: string;
  body: string;
}
const sentMail = async (): Promise<SentMail[]> => ((await (await fetch(`${moto!.endpoint}/moto-api/data.json`)).json()) as { ses: { Message: SentMail[] } }).ses.Message;

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}\nmailer output:\n${mailer?.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!hasMoto) return;
  moto = await startMoto();
  const endpoint = moto.endpoint;
  const sns = new SNSClient({ region, endpoint, credentials });
  sqs = new SQSClient({ region, endpoint, credentials });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'moviemagic-mail' }))).TopicArn!;
  dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'moviemagic-mail-dlq' }))).QueueUrl!;
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const queueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'moviemagic-mail',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlqUrl), maxReceiveCount: MAX_RECEIVES }) },
      }),
    )
  ).QueueUrl!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await arnOf(queueUrl) }));
  await new SESv2Client({ region, endpoint, credentials }).send(new CreateEmailIdentityCommand({ EmailIdentity: 'moviemagic.test' }));

  const aws = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: region };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/mailer-main.ts'], {
    cwd: root,
    env: { ...process.env, ...aws, MAIL_QUEUE_URL: queueUrl, MAIL_FROM: 'no-reply@moviemagic.test', SQS_ENDPOINT: endpoint, SES_ENDPOINT: endpoint, MAIL_WAIT_SECONDS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  mailer = { child, output: () => out };
  h = await startHarness({ notifier: createSnsNotifier({ topicArn, region, endpoint, credentials }) });
  await until('the mailer to start', async () => out, (o) => o.includes('Movie Magic mailer is ready'));
}, 180_000);

afterAll(async () => {
  if (mailer && mailer.child.exitCode === null) {
    const exited = new Promise((r) => mailer!.child.once('exit', r));
    mailer.child.kill('SIGTERM');
    await exited;
  }
  await h?.close();
  await moto?.stop();
});

async function book(name: string, seatId: string): Promise<{ email: string; booking: Booking }> {
  const show = await createShow(h!.app.stores.catalog, { now: h!.clock.now() });
  const u = await h!.register(name);
  const s = await h!.connect(u.token);
  expect((await ack<Ack>(s, 'seat:hold', { showId: show.showId, seatIds: [seatId] })).ok).toBe(true);
  const r = await ack<Ack<{ booking: Booking }>>(s, 'booking:confirm', { showId: show.showId, idempotencyKey: `mailer-${name}-booking` });
  if (!r.ok) throw new Error(JSON.stringify(r));
  await h!.app.services.notifications.drain();
  return { email: u.email, booking: r.booking };
}

it.skipIf(!hasMoto)('each booking confirmation is mailed through SES to its own buyer alone: two buyers, two mails, never each other’s', async () => {
  const asha = await book('asha', 'C4');
  const ravi = await book('ravi', 'C5');
  const confirmations = await until(
    'two confirmation mails',
    async () => (await sentMail()).filter((m) => m.subject.startsWith('Booking confirmed')),
    (ms) => ms.length >= 2,
  );
  // A moment more: a third copy (to the wrong person, or to everyone) would show up now.
  await new Promise((r) => setTimeout(r, 1500));
  const all = (await sentMail()).filter((m) => m.subject.startsWith('Booking confirmed'));
  expect(all).toHaveLength(2);
  const to = (addr: string) => all.filter((m) => m.destinations.ToAddresses.join(',') === addr);
  expect(to(asha.email)).toHaveLength(1);
  expect(to(ravi.email)).toHaveLength(1);
  expect(to(asha.email)[0]!.body).toContain(asha.booking.id);
  expect(to(asha.email)[0]!.body).not.toContain(ravi.booking.id);
  expect(to(ravi.email)[0]!.body).toContain(ravi.booking.id);
  expect(to(ravi.email)[0]!.subject).toContain('C5');
  expect(confirmations.every((m) => m.source === 'no-reply@moviemagic.test')).toBe(true);
  // The sign-up mails went the same way: each to its own address, once.
  const verify = (await sentMail()).filter((m) => m.subject === 'Confirm your email for Movie Magic').map((m) => m.destinations.ToAddresses.join(','));
  expect(verify.sort()).toEqual([asha.email, ravi.email].sort());
}, 120_000);

it.skipIf(!hasMoto)(`a message without an email attribute is not mailed to anyone and ends in the dead-letter queue after ${MAX_RECEIVES} receives`, async () => {
  const before = (await sentMail()).length;
  const sns = new SNSClient({ region, endpoint: moto!.endpoint, credentials });
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Poison', Message: 'no recipient here', MessageAttributes: { event: { DataType: 'String', StringValue: 'test.poison' } } }));
  const parked = await until(
    'the poison message in the dead-letter queue',
    async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages ?? [],
    (ms) => ms.length > 0,
  );
  expect(parked).toHaveLength(1);
  expect(JSON.parse(parked[0]!.Body!).Message).toBe('no recipient here');
  expect(mailer!.output()).toContain('no email attribute');
  expect((await sentMail()).length).toBe(before);
}, 60_000);
