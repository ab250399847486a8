/** Entry point: reads config once, wires real dependencies, listens, handles signals. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadCommonPasswords } from './adapters/common-passwords.js';
import { createCatalogStore } from './adapters/dynamo/catalog-store.js';
import { createReviewStore } from './adapters/dynamo/review-store.js';
import { createDynamo, isLoopbackEndpoint } from './adapters/dynamo/client.js';
import { JavaMissingError, lockDataDir, startEmbeddedDynamo, type EmbeddedDynamo } from './adapters/dynamo/embedded.js';
import { ensureTables, missingTables, missingTablesMessage } from './adapters/dynamo/tables.js';
import { createMailOutbox } from './adapters/mail/outbox.js';
import { createSnsNotifier } from './adapters/sns.js';
import { createDiskPosterStore } from './adapters/posters/disk.js';
import { createS3PosterStore } from './adapters/posters/s3.js';
import { createSmtpNotifier } from './adapters/smtp.js';
import { connectRedis } from './adapters/redis.js';
import { createGateway, createGatewayRoutes, isTestGateway } from './adapters/payments/index.js';
import { createMemoryFeed } from './adapters/feed/memory-feed.js';
import { createApp } from './app.js';
import { DEFAULT_NOTIFICATION_POLICY } from './services/notifications.js';
import { loadConfig, snsRegionOf } from './config.js';
import { randomUUID } from 'node:crypto';
import { createLeaseStore } from './adapters/dynamo/lease-store.js';
import { createScheduleRoll } from './services/schedule-roll.js';
import { systemClock } from './ports.js';
import { seedDemo } from './seed/demo.js';
import { seedDemoReviews } from './seed/demo-reviews.js';
import { DEMO_STAFF_THEATRES, ensureDemoUsers } from './seed/demo-users.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PRETTY = { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', singleLine: true };


function secretFor(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  // The lockfile pins SDK versions that support Node 20; their notice about 2027 releases is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = loadConfig();
  const logger = pino({
    level: config.logLevel,
    // Request lines never carry headers or bodies (transport/http-edge.ts); this is the second line of defence.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.token',
        '*.refresh',
        '*.passwordHash',
        '*.resetNonce',
      ],
      censor: '[redacted]',
    },
    // A person at a terminal gets one readable line per event; pm2, CI and log shippers get JSON.
    ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: PRETTY } } : {}),
  });
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };

  let endpoint = config.dynamoEndpoint;
  let embedded: EmbeddedDynamo | null = null;
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (config.store === 'embedded') {
    cleanups.push(lockDataDir(dataDir));
    logger.info({ dataDir }, 'starting the embedded store (DynamoDB Local)');
    embedded = await startEmbeddedDynamo({ dataDir });
    cleanups.push(() => embedded!.stop());
    endpoint = embedded.endpoint;
  }
  const dynamo = createDynamo({
    region: config.awsRegion ?? 'local',
    endpoint,
    tablePrefix: config.tablePrefix,
    // DynamoDB Local accepts any key; a loopback endpoint is never real AWS.
    localCredentials: config.store === 'embedded' || isLoopbackEndpoint(endpoint),
  });

  if (config.store === 'embedded') {
    const created = await ensureTables(dynamo);
    if (created.length) logger.info({ tables: created }, 'created tables');
    const report = await seedDemo(createCatalogStore(dynamo), Date.now(), (msg) => logger.info(msg));
    logger.info({ ...report, ...(await seedDemoReviews(createReviewStore(dynamo), Date.now())) }, 'demo data ready');
  } else {
    const missing = await missingTables(dynamo);
    if (missing.length) throw new Error(missingTablesMessage(missing, config.tablePrefix));
  }

  // One channel: SNS, else SMTP, else the local outbox (the demo; readable at /dev/mail).
  const smtp = !config.snsTopicArn && config.smtpUrl
    ? createSmtpNotifier({ url: config.smtpUrl, from: config.mailFrom, domain: new URL(config.publicUrl).hostname })
    : null;
  if (smtp) cleanups.push(() => smtp.close());
  const mailOutbox = config.snsTopicArn || smtp ? null : createMailOutbox(join(dataDir, 'mail'));
  const notifier = config.snsTopicArn
    ? createSnsNotifier({ topicArn: config.snsTopicArn, region: snsRegionOf(config.snsTopicArn)!, endpoint: config.snsEndpoint })
    : (smtp ?? mailOutbox!.notifier);
  logger.info(
    { channel: config.snsTopicArn ? 'sns' : smtp ? 'smtp' : 'local outbox', emailVerification: config.requireVerifiedEmail ? 'required' : 'optional' },
    'notifications',
  );

  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : null;
  if (redis) {
    cleanups.push(() => redis.close());
    logger.info('Redis: rooms and the ordered change feed shared with the other processes; so are the rate limits and the socket cap');
  }
  const jwtSecret = config.jwtSecret ?? secretFor(dataDir);
  const gateway = createGateway(config.payments, { dynamo, clock: systemClock, logger, publicUrl: config.publicUrl, secret: jwtSecret });
  if (isTestGateway(gateway)) cleanups.push(async () => gateway.close());
  logger.info({ gateway: config.payments.gateway, windowSeconds: config.payments.windowSeconds }, gateway ? 'payments' : 'payments: none (confirm books at once)');
  const posterStore = config.posterBucket
    ? createS3PosterStore({ bucket: config.posterBucket, region: config.awsRegion, endpoint: config.s3Endpoint })
    : createDiskPosterStore(join(dataDir, 'posters'));
  logger.info({ posters: config.posterBucket ? `s3://${config.posterBucket}` : join(dataDir, 'posters') }, 'uploaded posters');
  const app = createApp(
    {
      posterStore,
      dynamo,
      clock: systemClock,
      logger,
      notifier,
      mailOutbox,
      feed: redis?.feed ?? createMemoryFeed(),
      commonPasswords: loadCommonPasswords(),
      configureIo: redis ? (io) => redis.configureIo(io) : undefined,
      limitStore: redis?.limits,
      queueLine: redis?.queueLine,
    },
    {
      holdSeconds: config.holdSeconds,
      maxSeatsPerUser: config.maxSeatsPerUser,
      jwtSecret,
      bcryptCost: config.bcryptCost,
      accessTokenSeconds: config.accessTokenSeconds,
      // Idle expiry slides with use; after three idle spans a session must log in again regardless.
      sessions: { refreshIdleMs: config.refreshTokenDays * 24 * 3600_000, refreshMaxMs: 3 * config.refreshTokenDays * 24 * 3600_000 },
      requireVerifiedEmail: config.requireVerifiedEmail,
      verifyEmailOnSignUp: !config.loadTest,
      publicUrl: config.publicUrl,
      corsOrigins: config.corsOrigins,
      maxSocketsPerUser: config.maxSocketsPerUser,
      shutdownGraceMs: config.shutdownGraceMs,
      clientDir: join(root, 'client', 'dist'),
      sweepIntervalMs: config.sweepIntervalMs,
      websocketOnly: config.websocketOnly,
      refundPolicy: config.refundPolicy,
      door: config.door,
      outboxIntervalMs: config.outboxIntervalMs,
      queue: { safetyNet: config.queueActiveBuyers },
      metrics: { token: config.metricsToken },
      notificationPolicy: { ...DEFAULT_NOTIFICATION_POLICY, maxAttempts: config.notifyMaxAttempts },
      limits: config.loadTest ? { authPerIp: null } : {},
      payments: { gateway, windowSeconds: config.payments.windowSeconds, routes: createGatewayRoutes(config.payments, gateway, { logger }) },
    },
  );

  if (config.store === 'embedded') {
    const logins = await ensureDemoUsers({ users: app.stores.users, clock: systemClock, bcryptCost: config.bcryptCost });
    logger.info('demo logins (password for all: moviemagic)');
    for (const l of logins) logger.info(`  ${l.role.padEnd(8)} ${l.email}${l.role === 'staff' ? ` (theatres: ${DEMO_STAFF_THEATRES.join(', ')})` : ''}`);
  }

  if (config.loadTest) {
    logger.warn('LOAD_TEST=1: per-IP sign-up and login limits and email verification are OFF. Never run a public server like this.');
  }
  if (config.store === 'aws') {
    const roll = createScheduleRoll({ catalog: app.stores.catalog, leases: createLeaseStore(dynamo), clock: systemClock, logger, owner: randomUUID() });
    roll.start(3 * 3600_000);
    cleanups.push(() => roll.stop());
  }
  const port = await app.listen(config.port, config.host);
  logger.info(`Movie Magic is ready on http://localhost:${port}`);
  process.send?.('ready');
  // "For you" needs each city's model (seconds of reads for a big city): built now, in the background, not on someone's first visit.
  void app.services.recommendations.warm().then((r) => logger.info(r, 'recommendation models built'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close().catch((err) => logger.error({ err }, 'close failed'));
    await cleanup();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('message', (msg) => msg === 'shutdown' && void stop('shutdown'));
  process.on('exit', () => {
    if (embedded) {
      try {
        process.kill(embedded.pid, 'SIGKILL');
      } catch {
        /* already stopped */
      }
    }
  });
}




main().catch((err) => {
  if (err instanceof JavaMissingError) console.error(`\n${err.message}\n`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
