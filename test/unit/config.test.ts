import { describe, expect, it } from 'vitest';
import { loadConfig, snsRegionOf } from '../../server/config.js';

describe('configuration', () => {
  it('requires PUBLIC_URL with STORE=aws (links in mails and tickets), naming it', () => {
  const aws = { STORE: 'aws', AWS_REGION: 'ap-south-1', JWT_SECRET: 'x'.repeat(40) };
  expect(() => loadConfig(aws)).toThrow(/PUBLIC_URL is required with STORE=aws/);
  expect(loadConfig({ ...aws, PUBLIC_URL: 'https://tickets.example.com' }).publicUrl).toBe('https://tickets.example.com');
  expect(() => loadConfig({ ...aws, PUBLIC_URL: 'tickets.example.com' })).toThrow(/not an address/);
  expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
});

it('takes the SNS region from the topic ARN, not AWS_REGION, and refuses a malformed ARN', () => {
  expect(snsRegionOf('arn:aws:sns:eu-west-1:123456789012:moviemagic')).toBe('eu-west-1');
  expect(snsRegionOf('arn:aws:sns:ap-south-1:123456789012:moviemagic.fifo')).toBe('ap-south-1');
  expect(snsRegionOf('moviemagic')).toBeNull();
  expect(() => loadConfig({ SNS_TOPIC_ARN: 'moviemagic' })).toThrow(/SNS_TOPIC_ARN/);
});

it('refuses to start without JWT_SECRET in production, with STORE=aws, or with several processes', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ STORE: 'aws', AWS_REGION: 'ap-south-1' })).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ NODE_APP_INSTANCE: '1' })).toThrow(/JWT_SECRET is required/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(48) }).jwtSecret).toBe('x'.repeat(48));
  });
  it('defaults follow DECISIONS.md; bad values are named', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, store: 'embedded', holdSeconds: 480, maxSeatsPerUser: 10, bcryptCost: 12, tablePrefix: 'moviemagic', loadTest: false });
    expect(c.refundPolicy).toEqual([{ hoursBefore: 24, percent: 100 }, { hoursBefore: 2, percent: 50 }]);
    expect(() => loadConfig({ HOLD_SECONDS: 'soon' })).toThrow(/HOLD_SECONDS/);
    expect(() => loadConfig({ STORE: 'mongo' })).toThrow(/STORE/);
    expect(() => loadConfig({ REFUND_POLICY: '24=100' })).toThrow(/HOURS:PERCENT/);
    expect(loadConfig({ LOAD_TEST: '1' }).loadTest).toBe(true);
  });
  it('door window: opens 60 min before the start and closes at the end by default; both configurable, bad values named', () => {
    expect(loadConfig({}).door).toEqual({ opensBeforeMs: 60 * 60_000, closesAfterEndMs: 0 });
    expect(loadConfig({ DOOR_OPENS_BEFORE_MINUTES: '30', DOOR_CLOSES_AFTER_END_MINUTES: '15' }).door).toEqual({ opensBeforeMs: 30 * 60_000, closesAfterEndMs: 15 * 60_000 });
    expect(() => loadConfig({ DOOR_OPENS_BEFORE_MINUTES: '-5' })).toThrow(/DOOR_OPENS_BEFORE_MINUTES/);
    expect(() => loadConfig({ DOOR_CLOSES_AFTER_END_MINUTES: 'late' })).toThrow(/DOOR_CLOSES_AFTER_END_MINUTES/);
  });
  it('sessions, mail and origins: defaults, derived defaults and refusals', () => {
    expect(loadConfig({})).toMatchObject({
      accessTokenSeconds: 900,
      refreshTokenDays: 30,
      maxSocketsPerUser: 8,
      shutdownGraceMs: 10_000,
      corsOrigins: [],
      requireVerifiedEmail: false, // the local outbox mails nobody
      mailFrom: 'Movie Magic <no-reply@localhost>',
    });
    // A real channel means people can get the link: verification is on unless turned off.
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example:587' }).requireVerifiedEmail).toBe(true);
    expect(loadConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:ap-south-1:1:t', AWS_REGION: 'ap-south-1' }).requireVerifiedEmail).toBe(true);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example:587', EMAIL_VERIFICATION: 'optional' }).requireVerifiedEmail).toBe(false);
    expect(loadConfig({ EMAIL_VERIFICATION: 'required' }).requireVerifiedEmail).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://tickets.example.com' }).mailFrom).toBe('Movie Magic <no-reply@tickets.example.com>');
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example:8443' }).corsOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ SMTP_URL: 'mail.example' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ ACCESS_TOKEN_SECONDS: '5' })).toThrow(/ACCESS_TOKEN_SECONDS/);
    expect(() => loadConfig({ EMAIL_VERIFICATION: 'sometimes' })).toThrow(/EMAIL_VERIFICATION/);
  });
  it('payments: the test gateway by default; razorpay without its keys refuses to start, naming exactly the missing variables', () => {
    expect(loadConfig({}).payments).toMatchObject({ gateway: 'test', windowSeconds: 600, razorpay: undefined, stripe: undefined });
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'razorpay' })).toThrow(/PAYMENT_GATEWAY=razorpay needs RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET/);
    const partly = () => loadConfig({ PAYMENT_GATEWAY: 'razorpay', RAZORPAY_KEY_ID: 'rzp_test_1', RAZORPAY_KEY_SECRET: '  ' });
    expect(partly).toThrow(/needs RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET \(/); // blank counts as missing
    expect(partly).not.toThrow(/RAZORPAY_KEY_ID/);
    const keys = { PAYMENT_GATEWAY: 'razorpay', RAZORPAY_KEY_ID: 'rzp_test_1', RAZORPAY_KEY_SECRET: 'secret', RAZORPAY_WEBHOOK_SECRET: 'whsec' };
    expect(loadConfig(keys).payments.razorpay).toEqual({ keyId: 'rzp_test_1', keySecret: 'secret', webhookSecret: 'whsec', apiUrl: undefined });
    expect(loadConfig({ ...keys, RAZORPAY_API_URL: 'http://127.0.0.1:4010' }).payments.razorpay?.apiUrl).toBe('http://127.0.0.1:4010');
  });
  it('payments: stripe without its keys refuses to start, naming exactly the missing variables; an unknown gateway is named', () => {
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET/);
    const partly = () => loadConfig({ PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' });
    expect(partly).toThrow(/needs STRIPE_WEBHOOK_SECRET \(/);
    expect(partly).not.toThrow(/STRIPE_SECRET_KEY/);
    // Razorpay's keys do not stand in for Stripe's.
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe', RAZORPAY_KEY_ID: 'a', RAZORPAY_KEY_SECRET: 'b', RAZORPAY_WEBHOOK_SECRET: 'c' })).toThrow(/STRIPE_SECRET_KEY/);
    const keys = { PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_URL: 'http://127.0.0.1:4020' };
    expect(loadConfig(keys).payments).toMatchObject({ gateway: 'stripe', stripe: { secretKey: 'sk_test_1', webhookSecret: 'whsec_1', apiUrl: 'http://127.0.0.1:4020' } });
    expect(() => loadConfig({ PAYMENT_GATEWAY: 'paypal' })).toThrow(/PAYMENT_GATEWAY/);
    expect(() => loadConfig({ PAYMENT_WINDOW_SECONDS: '5' })).toThrow(/PAYMENT_WINDOW_SECONDS/);
  });
});
