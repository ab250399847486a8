/**
 * The test gateway's webhooks, signed like Stripe's: header `X-Test-Gateway-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Delivery is at least once: a
 * failed POST is retried with backoff (same event id, fresh signature), so the receiver
 * must treat a replay as a no-op.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock, GatewayEvent, GatewayPaymentState } from '../../ports.js';

export const SIGNATURE_HEADER = 'x-test-gateway-signature';
export const TOLERANCE_SECONDS = 300;

export const TestWebhookBody = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(['payment.captured', 'payment.failed']),
  data: z.object({
    paymentId: z.string().min(1),
    orderRef: z.string().min(1),
    state: z.enum(['pending', 'captured', 'failed']),
    captureRef: z.string().optional(),
    amount: z.number().int().nonnegative(),
    currency: z.string().min(3).max(3),
    error: z.string().optional(),
  }),
});
export type TestWebhookBody = z.infer<typeof TestWebhookBody>;

export function signature(key: Buffer, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', key).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

const headerValue = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found[0] : found;
};

/** The event of a webhook whose signature is ours and fresh (within 5 min of `now`); null otherwise. */
export function verifiedEvent(key: Buffer, rawBody: Buffer, headers: Record<string, string | string[] | undefined>, nowMs: number): GatewayEvent | null {
  const header = headerValue(headers, SIGNATURE_HEADER);
  const parts = new Map((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return null;
  if (Math.abs(nowMs / 1000 - t) > TOLERANCE_SECONDS) return null;
  const expected = createHmac('sha256', key).update(`${t}.`).update(rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return null;
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
  const body = TestWebhookBody.safeParse(json);
  if (!body.success) return null;
  return { eventId: body.data.id, ...body.data.data };
}

export interface Delivery {
  eventId: string;
  delivered: boolean;
  status?: number;
}

export interface WebhookSenderOptions {
  url: () => string;
  key: Buffer;
  clock: Clock;
  logger: Logger;
  fetch: typeof fetch;
  /** Waits before each retry of a failed delivery (default 1, 2, 4, 8, 16 s). */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

/** Posts events to our webhook endpoint, retrying failures in the background until `close()`. */
export function createWebhookSender(opts: WebhookSenderOptions) {
  const retryDelays = opts.retryDelaysMs ?? [1000, 2000, 4000, 8000, 16000];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const later = (ms: number, run: () => void) => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  async function attempt(body: TestWebhookBody): Promise<Delivery> {
    const raw = JSON.stringify(body);
    try {
      const res = await opts.fetch(opts.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature(opts.key, raw, Math.floor(opts.clock.now() / 1000)) },
        body: raw,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      await res.body?.cancel();
      return { eventId: body.id, delivered: res.ok, status: res.status };
    } catch (err) {
      opts.logger.warn({ err, eventId: body.id }, 'test gateway: webhook delivery failed');
      return { eventId: body.id, delivered: false };
    }
  }

  /** Sends now; when that fails, retries follow in the background. Answers the first attempt. */
  async function send(body: TestWebhookBody, retry = 0): Promise<Delivery> {
    const result = await attempt(body);
    if (!result.delivered && retry < retryDelays.length) later(retryDelays[retry]!, () => void send(body, retry + 1));
    else if (!result.delivered) opts.logger.error({ eventId: body.id }, 'test gateway: webhook given up after retries');
    return result;
  }

  return {
    send: (body: TestWebhookBody) => send(body),
    /** Sends after `delayMs` (a late webhook), with the same retries. */
    sendLater(body: TestWebhookBody, delayMs: number) {
      later(delayMs, () => void send(body));
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

export const eventBody = (eventId: string, state: GatewayPaymentState): TestWebhookBody => ({
  id: eventId,
  type: state.state === 'captured' ? 'payment.captured' : 'payment.failed',
  data: state,
});
