/** The only place that reads process.env. Fails fast with a clear message. */
import { z } from 'zod';
import { parseRefundPolicy } from './domain/refunds.js';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Env = z.object({
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  STORE: z.enum(['embedded', 'aws']).default('embedded'),
  DYNAMODB_ENDPOINT: optional,
  AWS_REGION: optional,
  TABLE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/).default('moviemagic'),
  JWT_SECRET: optional,
  ACCESS_TOKEN_SECONDS: int(900, 30, 86_400),
  REFRESH_TOKEN_DAYS: int(30, 1, 365),
  EMAIL_VERIFICATION: z.enum(['required', 'optional']).optional(),
  CORS_ORIGINS: optional,
  MAX_SOCKETS_PER_USER: int(8, 1, 1000),
  SHUTDOWN_GRACE_SECONDS: int(10, 0, 600),
  HOLD_SECONDS: int(480, 5, 86_400),
  MAX_SEATS_PER_USER: int(10, 1, 50),
  BCRYPT_COST: int(12, 4, 15),
  SNS_TOPIC_ARN: optional,
  SNS_ENDPOINT: optional,
  POSTER_BUCKET: optional,
  S3_ENDPOINT: optional,
  REFUND_POLICY: z.string().default('24:100,2:50'),
  DOOR_OPENS_BEFORE_MINUTES: int(60, 0, 1440),
  DOOR_CLOSES_AFTER_END_MINUTES: int(0, 0, 1440),
  NOTIFY_MAX_ATTEMPTS: int(8, 1, 100),
  OUTBOX_INTERVAL_MS: int(1000, 0, 600_000),
  SMTP_URL: optional,
  MAIL_FROM: optional,
  REDIS_URL: optional,
  METRICS_TOKEN: optional,
  QUEUE_ACTIVE_BUYERS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  PUBLIC_URL: optional,
  LOAD_TEST: optional,
  SWEEP_INTERVAL_MS: int(1000, 0, 600_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: optional,
  WEBSOCKET_ONLY: optional,
  PAYMENT_GATEWAY: z.enum(['test', 'razorpay', 'stripe', 'none']).default('test'),
  PAYMENT_WINDOW_SECONDS: int(600, 10, 86_400),
  RAZORPAY_KEY_ID: optional,
  RAZORPAY_KEY_SECRET: optional,
  RAZORPAY_WEBHOOK_SECRET: optional,
  RAZORPAY_API_URL: optional,
  STRIPE_SECRET_KEY: optional,
  STRIPE_WEBHOOK_SECRET: optional,
  STRIPE_API_URL: optional,
});

/** The gateway and its keys; a chosen gateway without its keys refuses to start. */
function paymentSettings(e: z.infer<typeof Env>) {
  const need = (names: (keyof typeof e)[]) => {
    const missing = names.filter((n) => !e[n]);
    if (missing.length) throw new Error(`PAYMENT_GATEWAY=${e.PAYMENT_GATEWAY} needs ${missing.join(', ')} (or PAYMENT_GATEWAY=test for the built-in test gateway).`);
  };
  if (e.PAYMENT_GATEWAY === 'razorpay') need(['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET']);
  if (e.PAYMENT_GATEWAY === 'stripe') need(['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
  return {
    gateway: e.PAYMENT_GATEWAY,
    windowSeconds: e.PAYMENT_WINDOW_SECONDS,
    razorpay: e.RAZORPAY_KEY_ID
      ? { keyId: e.RAZORPAY_KEY_ID, keySecret: e.RAZORPAY_KEY_SECRET!, webhookSecret: e.RAZORPAY_WEBHOOK_SECRET!, apiUrl: e.RAZORPAY_API_URL }
      : undefined,
    stripe: e.STRIPE_SECRET_KEY ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET!, apiUrl: e.STRIPE_API_URL } : undefined,
  };
}
export type PaymentSettings = ReturnType<typeof paymentSettings>;

export type Config = ReturnType<typeof loadConfig>;

/** The region a topic lives in, from its ARN (arn:aws:sns:<region>:<account>:<name>); null if it is not one. */
export function snsRegionOf(arn: string): string | null {
  return /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d+:[A-Za-z0-9_.-]+$/.exec(arn)?.[1] ?? null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const severalProcesses = !!e.REDIS_URL || env.NODE_APP_INSTANCE !== undefined;
  if (!e.JWT_SECRET && (e.STORE === 'aws' || severalProcesses || e.NODE_ENV === 'production')) {
    throw new Error(
      'JWT_SECRET is required with STORE=aws, with several processes (REDIS_URL or pm2 cluster) and in production. ' +
        'Set it to a long random string, e.g. `openssl rand -base64 48`.',
    );
  }
  if (e.STORE === 'aws' && !e.AWS_REGION) throw new Error('AWS_REGION is required with STORE=aws.');
  // Mailed links and signed ticket links are built from it: a silent localhost default would send people nowhere.
  if (e.STORE === 'aws' && !e.PUBLIC_URL) throw new Error('PUBLIC_URL is required with STORE=aws: the address people open the site at (e.g. https://tickets.example.com). Mailed and ticket links use it.');
  if (e.PUBLIC_URL && !/^https?:\/\/[^\s]+$/.test(e.PUBLIC_URL)) throw new Error(`PUBLIC_URL: "${e.PUBLIC_URL}" is not an address like https://tickets.example.com`);
  if (e.SNS_TOPIC_ARN && !snsRegionOf(e.SNS_TOPIC_ARN)) throw new Error(`SNS_TOPIC_ARN: "${e.SNS_TOPIC_ARN}" is not a topic ARN like arn:aws:sns:ap-south-1:123456789012:moviemagic`);
  if (e.POSTER_BUCKET && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(e.POSTER_BUCKET)) throw new Error(`POSTER_BUCKET: "${e.POSTER_BUCKET}" is not an S3 bucket name (3-63 lower-case letters, digits, "." and "-")`);
  if (e.POSTER_BUCKET && !e.AWS_REGION) throw new Error('AWS_REGION is required with POSTER_BUCKET (the bucket\'s region).');
  if (e.S3_ENDPOINT && !e.POSTER_BUCKET) throw new Error('S3_ENDPOINT is only used with POSTER_BUCKET: set the bucket too, or unset S3_ENDPOINT.');
  if (e.METRICS_TOKEN && e.METRICS_TOKEN.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`).');
  if (e.JWT_SECRET && e.JWT_SECRET.length < 32) throw new Error('JWT_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`).');
  const corsOrigins = (e.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const o of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o) || new URL(o).origin !== o) throw new Error(`CORS_ORIGINS: "${o}" is not an origin like https://tickets.example.com`);
  }
  // With a real mail channel people can receive the link; the local outbox (demo) cannot mail anyone.
  const realMail = !!e.SNS_TOPIC_ARN || !!e.SMTP_URL;
  if (e.SMTP_URL && !/^smtps?:\/\//.test(e.SMTP_URL)) throw new Error('SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465.');
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    store: e.STORE,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    awsRegion: e.AWS_REGION,
    tablePrefix: e.TABLE_PREFIX,
    jwtSecret: e.JWT_SECRET,
    accessTokenSeconds: e.ACCESS_TOKEN_SECONDS,
    refreshTokenDays: e.REFRESH_TOKEN_DAYS,
    requireVerifiedEmail: (e.EMAIL_VERIFICATION ?? (realMail ? 'required' : 'optional')) === 'required',
    corsOrigins,
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    holdSeconds: e.HOLD_SECONDS,
    maxSeatsPerUser: e.MAX_SEATS_PER_USER,
    bcryptCost: e.BCRYPT_COST,
    snsTopicArn: e.SNS_TOPIC_ARN,
    snsEndpoint: e.SNS_ENDPOINT,
    /** Uploaded posters: in this S3 bucket when set, else under DATA_DIR/posters. */
    posterBucket: e.POSTER_BUCKET ?? null,
    s3Endpoint: e.S3_ENDPOINT,
    refundPolicy: parseRefundPolicy(e.REFUND_POLICY),
    door: { opensBeforeMs: e.DOOR_OPENS_BEFORE_MINUTES * 60_000, closesAfterEndMs: e.DOOR_CLOSES_AFTER_END_MINUTES * 60_000 },
    notifyMaxAttempts: e.NOTIFY_MAX_ATTEMPTS,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `Movie Magic <no-reply@${new URL(publicUrl).hostname}>`,
    redisUrl: e.REDIS_URL,
    queueActiveBuyers: e.QUEUE_ACTIVE_BUYERS ?? null,
    metricsToken: e.METRICS_TOKEN ?? null,
    publicUrl,
    loadTest: e.LOAD_TEST === '1',
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    websocketOnly: e.WEBSOCKET_ONLY === '1' || severalProcesses,
    payments: paymentSettings(e),
  };
}

const MailerEnv = z.object({
  MAIL_QUEUE_URL: z.string().regex(/^https?:\/\/\S+$/, 'an SQS queue URL like https://sqs.ap-south-1.amazonaws.com/123456789012/moviemagic-mail'),
  MAIL_FROM: z.string().min(3, 'the sender, e.g. "Movie Magic <no-reply@tickets.example.com>" (an SES-verified identity)'),
  AWS_REGION: z.string().min(1, 'the region of the queue and of SES, e.g. ap-south-1'),
  SQS_ENDPOINT: optional,
  SES_ENDPOINT: optional,
  MAIL_WAIT_SECONDS: int(20, 0, 20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The mailer worker's settings (server/mailer-main.ts); like loadConfig, the only read of its environment. */
export function loadMailerConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = MailerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid mailer configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    queueUrl: e.MAIL_QUEUE_URL,
    from: e.MAIL_FROM,
    region: e.AWS_REGION,
    sqsEndpoint: e.SQS_ENDPOINT,
    sesEndpoint: e.SES_ENDPOINT,
    waitSeconds: e.MAIL_WAIT_SECONDS,
    logLevel: e.LOG_LEVEL,
  };
}
