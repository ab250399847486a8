/**
 * Issue 18: the mailer behind SNS. The topic's one subscriber is an SQS queue (with a
 * dead-letter queue); the mailer worker (server/mailer-main.ts, a real process) sends each
 * message to its `email` attribute through SES. All of it against moto_server: the real
 * server publishes to moto's SNS, the worker reads moto's SQS and sends through moto's SES,
 * whose sent mail is read back at /moto-api/data.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ShowsResponse, type Ack, type Booking } from '../../protocol/index.js';
import { addDays, localDate } from '../../server/domain/show-time.js';
import { hasMoto, startMoto } from '../support/moto.js';
import { cleanUpServers, startServerProcess, type ServerProcess } from '../support/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'eu-west-1';
const MAX_RECEIVES = 2;
const dataDir = mkdtempSync(join(tmpdir(), 'mm-mailer-'));

let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
let server: ServerProcess | undefined;
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
  server = await startServerProcess({ ...aws, DATA_DIR: dataDir, SNS_TOPIC_ARN: topicArn, SNS_ENDPOINT: endpoint, EMAIL_VERIFICATION: 'optional', OUTBOX_INTERVAL_MS: '200' });
  await until('the mailer to start', async () => out, (o) => o.includes('Movie Magic mailer is ready'));
}, 180_000);

afterAll(async () => {
  if (mailer && mailer.child.exitCode === null) {
    const exited = new Promise((r) => mailer!.child.once('exit', r));
    mailer.child.kill('SIGTERM');
    await exited;
  }
  await cleanUpServers(dataDir, server ? [server] : []);
  await moto?.stop();
});

async function book(email: string, seatId: string): Promise<Booking> {
  const login = await fetch(`${server!.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'moviemagic' }),
  });
  const { token } = (await login.json()) as { token: string };
  const tomorrow = addDays(localDate(Date.now(), 'Asia/Kolkata'), 1);
  const { shows } = ShowsResponse.parse(await (await fetch(`${server!.url}/api/shows?city=Hyderabad&date=${tomorrow}`)).json());
  const socket = io(server!.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const emit = <T>(event: string, payload: unknown) => (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(event, payload);
  try {
    const showId = shows[0]!.id;
    expect((await emit<Ack>('seat:hold', { showId, seatIds: [seatId] })).ok).toBe(true);
    const r = await emit<Ack<{ booking: Booking }>>('booking:confirm', { showId, idempotencyKey: `mailer-${seatId}-booking` });
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.booking;
  } finally {
    socket.disconnect();
  }
}

it.skipIf(!hasMoto)('each booking confirmation is mailed through SES to its own buyer alone: two buyers, two mails, never each other’s', async () => {
  const asha = await book('asha@demo.moviemagic.app', 'C4');
  const ravi = await book('ravi@demo.moviemagic.app', 'C5');
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
  expect(to('asha@demo.moviemagic.app')).toHaveLength(1);
  expect(to('ravi@demo.moviemagic.app')).toHaveLength(1);
  expect(to('asha@demo.moviemagic.app')[0]!.body).toContain(asha.id);
  expect(to('asha@demo.moviemagic.app')[0]!.body).not.toContain(ravi.id);
  expect(to('ravi@demo.moviemagic.app')[0]!.body).toContain(ravi.id);
  expect(to('ravi@demo.moviemagic.app')[0]!.subject).toContain('C5');
  expect(confirmations.every((m) => m.source === 'no-reply@moviemagic.test')).toBe(true);
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
