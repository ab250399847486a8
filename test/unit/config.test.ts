import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

describe('configuration', () => {
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
});
