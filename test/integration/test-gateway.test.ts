/**
 * The built-in test gateway over real HTTP against DynamoDB Local: orders idempotent by
 * payment id (across two gateway instances, as two processes), state transitions and their
 * webhooks, webhook signatures (good, forged, stale, replayed), delivery retries, late
 * webhooks and late approvals, refunds (idempotent, bounded by the capture, failing on
 * demand), the pay page in three languages and its form, and drive routes that exist only
 * for the test gateway.
 */
import express from 'express';
import { createHmac } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../server/adapters/payments/index.js';
import { signature } from '../../server/adapters/payments/test-gateway-webhooks.js';
import { mountTestGatewayRoutes } from '../../server/adapters/payments/test-gateway-routes.js';
import { startHarness } from '../support/harness.js';
import { SECRET, startRig, type Rig } from '../support/test-gateway-rig.js';

let rig: Rig;
let n = 0;

beforeAll(async () => {
  rig = await startRig({ approveLaterMs: 300 });
});
afterAll(async () => {
  await rig?.close();
});
afterEach(() => {
  rig.refuseWebhooks(0);
});

function newOrder(over: Partial<{ paymentId: string; amount: number; currency: string; description: string; expiresAt: number }> = {}) {
  const paymentId = over.paymentId ?? `pay_${Date.now().toString(36)}_${++n}`;
  return rig.gateway.createOrder({
    paymentId,
    bookingId: `bk_${paymentId}`,
    amount: over.amount ?? 45_000,
    currency: over.currency ?? 'INR',
    description: over.description ?? 'Kalki 2898 AD · 2 seats',
    returnUrl: `${rig.merchantUrl}/return`,
    expiresAt: over.expiresAt ?? rig.clock.now() + 600_000,
  });
}

const post = (path: string, body?: unknown) =>
  fetch(`${rig.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const webhooksFor = (orderRef: string) => rig.webhooks.filter((w) => w.body.data.orderRef === orderRef);

async function webhooksSoon(orderRef: string, count: number) {
  const until = Date.now() + 5000;
  while (webhooksFor(orderRef).length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return webhooksFor(orderRef);
}

describe('orders', () => {
  it('createOrder returns the same order for the same payment id, also from another process and concurrently', async () => {
    const paymentId = `pay_idem_${Date.now()}`;
    const first = await newOrder({ paymentId });
    expect(first.payUrl).toBe(`${rig.url}/test-gateway/pay/${first.orderRef}`);
    const other = rig.another();
    const again = await Promise.all([newOrder({ paymentId }), other.createOrder({ paymentId, bookingId: 'x', amount: 1, currency: 'INR', description: '', returnUrl: `${rig.merchantUrl}/return`, expiresAt: 0 })]);
    expect(again.map((o) => o.orderRef)).toEqual([first.orderRef, first.orderRef]);
    // The first order stands: the repeat did not overwrite its amount.
    expect((await other.status(first.orderRef)).amount).toBe(45_000);
    expect((await newOrder()).orderRef).not.toBe(first.orderRef);
  });

  it('a new order is pending with our payment id, amount and currency', async () => {
    const { orderRef } = await newOrder({ amount: 12_345, currency: 'AED' });
    expect(await rig.gateway.status(orderRef)).toEqual({ paymentId: expect.any(String), orderRef, state: 'pending', amount: 12_345, currency: 'AED' });
  });

  it('pending → failed → captured, and a captured order stays captured (fail and succeed again change nothing, send nothing)', async () => {
    const { orderRef } = await newOrder();
    const failed = await rig.gateway.fail(orderRef, { reason: 'card_declined: test' });
    expect(failed).toMatchObject({ changed: true, order: { state: 'failed', error: 'card_declined: test' }, webhook: { delivered: true, status: 200 } });
    expect((await rig.gateway.status(orderRef)).state).toBe('failed');
    const paid = await rig.gateway.succeed(orderRef);
    expect(paid).toMatchObject({ changed: true, order: { state: 'captured', captureRef: expect.stringMatching(/^tgc_/) }, webhook: { delivered: true } });
    const state = await rig.gateway.status(orderRef);
    expect(state).toMatchObject({ state: 'captured', captureRef: paid.order.captureRef, amount: 45_000, currency: 'INR' });
    expect(state.error).toBeUndefined();
    expect(await rig.gateway.fail(orderRef)).toMatchObject({ changed: false, webhook: null, order: { state: 'captured' } });
    expect(await rig.gateway.succeed(orderRef)).toMatchObject({ changed: false, webhook: null, order: { captureRef: paid.order.captureRef } });
    const hooks = await webhooksSoon(orderRef, 2);
    expect(hooks.map((w) => w.body.type)).toEqual(['payment.failed', 'payment.captured']);
  });

  it('two processes capturing the same order at once: one capture, one webhook', async () => {
    const { orderRef } = await newOrder();
    const other = rig.another();
    const results = await Promise.all([rig.gateway.succeed(orderRef), other.succeed(orderRef), rig.gateway.succeed(orderRef)]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(webhooksFor(orderRef)).toHaveLength(1);
    expect(new Set(results.map((r) => r.order.captureRef)).size).toBe(1);
  });

  it('status of an unknown order is NOT_FOUND', async () => {
    await expect(rig.gateway.status('tgo_nope')).rejects.toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('webhooks', () => {
  it('a delivered webhook verifies and reads as the payment state it reports', async () => {
    const { orderRef } = await newOrder();
    const paid = await rig.gateway.succeed(orderRef);
    const [hook] = await webhooksSoon(orderRef, 1);
    expect(hook!.headers['x-test-gateway-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(rig.gateway.parseWebhook(hook!.rawBody, hook!.headers)).toEqual({
      eventId: paid.webhook!.eventId,
      paymentId: paid.order.paymentId,
      orderRef,
      state: 'captured',
      captureRef: paid.order.captureRef,
      amount: 45_000,
      currency: 'INR',
    });
  });

  it('forged webhooks read as null: body changed, signed with another secret, no signature, malformed header', async () => {
    const { orderRef } = await newOrder();
    await rig.gateway.succeed(orderRef);
    const [hook] = await webhooksSoon(orderRef, 1);
    const tampered = Buffer.from(hook!.rawBody.toString().replace('"amount":45000', '"amount":1'));
    expect(tampered.equals(hook!.rawBody)).toBe(false);
    expect(rig.gateway.parseWebhook(tampered, hook!.headers)).toBeNull();
    const t = Math.floor(rig.clock.now() / 1000);
    const otherKey = createHmac('sha256', 'another-secret-that-is-long-enough').update('test-gateway/webhook').digest();
    expect(rig.gateway.parseWebhook(hook!.rawBody, { 'x-test-gateway-signature': signature(otherKey, hook!.rawBody.toString(), t) })).toBeNull();
    expect(rig.gateway.parseWebhook(hook!.rawBody, {})).toBeNull();
    expect(rig.gateway.parseWebhook(hook!.rawBody, { 'x-test-gateway-signature': 'v1=abc' })).toBeNull();
    // The same body with its own signature still verifies: the checks above failed for the forgery alone.
    expect(rig.gateway.parseWebhook(hook!.rawBody, hook!.headers)).not.toBeNull();
  });

  it('a webhook signed more than 5 minutes before (or after) now is refused; within 5 minutes it is accepted', async () => {
    const { orderRef } = await newOrder();
    await rig.gateway.succeed(orderRef);
    const [hook] = await webhooksSoon(orderRef, 1);
    const at = rig.clock.ms;
    try {
      rig.clock.ms = at + 299_000;
      expect(rig.gateway.parseWebhook(hook!.rawBody, hook!.headers)).not.toBeNull();
      rig.clock.ms = at + 301_000;
      expect(rig.gateway.parseWebhook(hook!.rawBody, hook!.headers)).toBeNull();
      rig.clock.ms = at - 301_000;
      expect(rig.gateway.parseWebhook(hook!.rawBody, hook!.headers)).toBeNull();
    } finally {
      rig.clock.ms = at;
    }
  });

  it('a replayed webhook reads as the same event id (so the receiver can ignore it), and a signature from another process verifies', async () => {
    const { orderRef } = await newOrder();
    await rig.gateway.succeed(orderRef);
    const [hook] = await webhooksSoon(orderRef, 1);
    const first = rig.gateway.parseWebhook(hook!.rawBody, hook!.headers);
    const replay = rig.another().parseWebhook(Buffer.from(hook!.rawBody), { ...hook!.headers });
    expect(replay).toEqual(first);
    expect(replay!.eventId).toMatch(/^evt_/);
  });

  it('a refused delivery is retried with backoff: the same event id, each attempt freshly signed', async () => {
    const { orderRef } = await newOrder();
    rig.refuseWebhooks(2);
    const paid = await rig.gateway.succeed(orderRef);
    expect(paid.webhook).toMatchObject({ delivered: false, status: 500 });
    const hooks = await webhooksSoon(orderRef, 1);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.body.id).toBe(paid.webhook!.eventId);
    expect(rig.gateway.parseWebhook(hooks[0]!.rawBody, hooks[0]!.headers)?.eventId).toBe(paid.webhook!.eventId);
  });

  it('close() stops pending retries', async () => {
    const g = rig.another({ webhookRetryDelaysMs: [150] });
    const { orderRef } = await g.createOrder({ paymentId: `pay_close_${Date.now()}`, bookingId: 'b', amount: 100, currency: 'INR', description: 'd', returnUrl: `${rig.merchantUrl}/return`, expiresAt: rig.clock.now() + 60_000 });
    rig.refuseWebhooks(1);
    expect((await g.succeed(orderRef)).webhook?.delivered).toBe(false);
    g.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(webhooksFor(orderRef)).toHaveLength(0);
  });

  it('succeed-late captures now and sends the webhook only after delayMs', async () => {
    const { orderRef } = await newOrder();
    const started = Date.now();
    const res = await post(`/api/test-gateway/payments/${orderRef}/succeed-late`, { delayMs: 400 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ changed: true, order: { state: 'captured' }, webhook: { delivered: false, delayMs: 400 } });
    expect((await rig.gateway.status(orderRef)).state).toBe('captured');
    await new Promise((r) => setTimeout(r, 200));
    expect(webhooksFor(orderRef)).toHaveLength(0);
    const [hook] = await webhooksSoon(orderRef, 1);
    expect(hook!.at - started).toBeGreaterThanOrEqual(400);
    expect(hook!.body.type).toBe('payment.captured');
  });

  it('an "approve later" attempt stays pending, then is captured by the gateway after the delay with a webhook', async () => {
    const { orderRef } = await newOrder();
    const r = await post(`/api/test-gateway/payments/${orderRef}/approve-later`, { delayMs: 300 });
    expect(await r.json()).toMatchObject({ changed: true, order: { state: 'pending', approveAt: rig.clock.now() + 300 } });
    expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    const [hook] = await webhooksSoon(orderRef, 1);
    expect(hook!.body).toMatchObject({ type: 'payment.captured', data: { state: 'captured' } });
    expect((await rig.gateway.status(orderRef)).state).toBe('captured');
  });

  it('an approval that is due is captured when anyone asks for the status (no timer needed, e.g. after a restart)', async () => {
    const { orderRef } = await newOrder();
    const other = rig.another();
    await other.approveLater(orderRef, 60_000);
    other.close(); // that process is gone, its timer with it
    expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    rig.clock.advance(60_000);
    try {
      expect((await rig.gateway.status(orderRef)).state).toBe('captured');
    } finally {
      rig.clock.advance(-60_000);
    }
    expect((await webhooksSoon(orderRef, 1))[0]!.body.type).toBe('payment.captured');
  });
});

describe('refunds', () => {
  async function captured(amount = 45_000) {
    const { orderRef } = await newOrder({ amount });
    const { order } = await rig.gateway.succeed(orderRef, { webhook: false });
    return { orderRef, captureRef: order.captureRef!, currency: 'INR' };
  }

  it('a refund succeeds once per refund id and never beyond the capture', async () => {
    const c = await captured(10_000);
    const first = await rig.gateway.refund({ ...c, amount: 6_000, refundId: `rf_${++n}` });
    expect(first).toEqual({ refundRef: expect.stringMatching(/^tgr_/), state: 'succeeded' });
    const id = `rf_${++n}`;
    const second = await rig.gateway.refund({ ...c, amount: 4_000, refundId: id });
    const again = await rig.gateway.refund({ ...c, amount: 4_000, refundId: id });
    expect(again).toEqual(second);
    // 10,000 captured, 10,000 refunded: nothing is left, whatever the refund id.
    await expect(rig.gateway.refund({ ...c, amount: 1, refundId: `rf_${++n}` })).rejects.toThrow(/refused/);
    expect(await rig.gateway.refundStatus({ refundRef: second.refundRef, refundId: id })).toBe('succeeded');
    expect((await rig.gateway.findOrder(c.orderRef))?.refunded).toBe(10_000);
  });

  it('a refund of an order that is not captured, or of another capture or currency, is refused', async () => {
    const { orderRef } = await newOrder();
    await expect(rig.gateway.refund({ orderRef, captureRef: 'tgc_x', amount: 1, currency: 'INR', refundId: `rf_${++n}` })).rejects.toThrow(/refused/);
    const c = await captured();
    await expect(rig.gateway.refund({ ...c, captureRef: 'tgc_other', amount: 1, refundId: `rf_${++n}` })).rejects.toThrow(/refused/);
    await expect(rig.gateway.refund({ ...c, currency: 'AED', amount: 1, refundId: `rf_${++n}` })).rejects.toThrow(/refused/);
  });

  it('fail-next makes the next refunds fail (failed, or the API erroring) and a retry with the same refund id then succeeds', async () => {
    const c = await captured();
    const res = await post('/api/test-gateway/refunds/fail-next', { count: 1 });
    expect(await res.json()).toEqual({ armed: 1, mode: 'failed' });
    const id = `rf_${++n}`;
    const failed = await rig.gateway.refund({ ...c, amount: 45_000, refundId: id });
    expect(failed.state).toBe('failed');
    expect(await rig.gateway.refundStatus({ refundRef: failed.refundRef, refundId: id })).toBe('failed');
    expect((await rig.gateway.findOrder(c.orderRef))?.refunded).toBe(0);
    await post('/api/test-gateway/refunds/fail-next', { count: 2, mode: 'error' });
    await expect(rig.gateway.refund({ ...c, amount: 45_000, refundId: id })).rejects.toThrow(/unavailable/);
    await expect(rig.another().refund({ ...c, amount: 45_000, refundId: id })).rejects.toThrow(/unavailable/);
    expect(await rig.gateway.refund({ ...c, amount: 45_000, refundId: id })).toEqual({ refundRef: failed.refundRef, state: 'succeeded' });
    expect((await rig.gateway.findOrder(c.orderRef))?.refunded).toBe(45_000);
  });

  it('with a settle time, a refund is pending until then, then succeeded', async () => {
    const g = rig.another({ refundSettleMs: 60_000 });
    const c = await captured();
    const id = `rf_${++n}`;
    const r = await g.refund({ ...c, amount: 100, refundId: id });
    expect(r.state).toBe('pending');
    expect(await g.refundStatus({ refundRef: r.refundRef, refundId: id })).toBe('pending');
    rig.clock.advance(60_000);
    try {
      expect(await g.refundStatus({ refundRef: r.refundRef, refundId: id })).toBe('succeeded');
    } finally {
      rig.clock.advance(-60_000);
    }
  });
});

describe('pay page', () => {
  const page = (orderRef: string, query = '', headers: Record<string, string> = {}) => fetch(`${rig.url}/test-gateway/pay/${orderRef}${query}`, { headers });
  const submit = (orderRef: string, form: Record<string, string>) =>
    fetch(`${rig.url}/test-gateway/pay/${orderRef}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form), redirect: 'manual' });

  it('renders in English by default, in Hindi by Accept-Language and in Telugu by ?lang=, with merchant, amount and time left', async () => {
    const { orderRef } = await newOrder({ amount: 45_000 });
    const en = await (await page(orderRef)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Pay Movie Magic');
    expect(en).toContain('₹450.00');
    expect(en).toContain('10 min 0 s');
    for (const tab of ['Card', 'UPI', 'Netbanking', 'Wallet']) expect(en).toContain(`>${tab}</a>`);
    const hi = await (await page(orderRef, '', { 'accept-language': 'hi-IN,hi;q=0.9,en;q=0.5' })).text();
    expect(hi).toContain('<html lang="hi">');
    expect(hi).toContain('Movie Magic को भुगतान करें');
    expect(hi).toContain('बचा समय');
    expect(hi).toContain('नेट बैंकिंग');
    const te = await (await page(orderRef, '?lang=te', { 'accept-language': 'hi' })).text();
    expect(te).toContain('<html lang="te">');
    expect(te).toContain('మిగిలిన సమయం');
    expect(te).toContain('నెట్ బ్యాంకింగ్');
    expect(te).not.toContain('बचा समय');
  });

  it('escapes what it shows and sends its own content security policy', async () => {
    const { orderRef } = await newOrder({ description: '<script>alert(1)</script> & "quotes"' });
    const res = await page(orderRef);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${rig.merchantUrl}`);
  });

  it('an unknown order is a 404 page', async () => {
    const res = await page('tgo_unknown', '?lang=hi');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('ऐसा कोई भुगतान नहीं है।');
  });

  it('paying with the success card captures, sends the webhook and sends the user back with ?order=', async () => {
    const { orderRef } = await newOrder();
    const res = await submit(orderRef, { method: 'card', number: '4111 1111 1111 1111', expiry: '12/39', cvv: '123' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${rig.merchantUrl}/return?order=${orderRef}`);
    expect((await rig.gateway.status(orderRef)).state).toBe('captured');
    expect((await webhooksSoon(orderRef, 1))[0]!.body.type).toBe('payment.captured');
    expect(await (await page(orderRef)).text()).toContain('This order is paid.');
  });

  it('the decline card and failure@upi decline (webhook payment.failed); the page then says so and offers another try', async () => {
    const { orderRef } = await newOrder();
    expect((await submit(orderRef, { method: 'card', number: '4000000000000002', expiry: '01/40', cvv: '999' })).status).toBe(303);
    expect(await rig.gateway.status(orderRef)).toMatchObject({ state: 'failed', error: expect.stringMatching(/^card_declined/) });
    expect((await submit(orderRef, { method: 'upi', vpa: 'failure@upi' })).status).toBe(303);
    expect(await rig.gateway.status(orderRef)).toMatchObject({ state: 'failed', error: expect.stringMatching(/^upi_declined/) });
    expect((await webhooksSoon(orderRef, 2)).map((w) => w.body.type)).toEqual(['payment.failed', 'payment.failed']);
    const html = await (await page(orderRef)).text();
    expect(html).toContain('Your last attempt was declined.');
    expect(html).toContain('<form');
    expect((await submit(orderRef, { method: 'upi', vpa: 'success@upi' })).status).toBe(303);
    expect((await rig.gateway.status(orderRef)).state).toBe('captured');
  });

  it('netbanking and wallet pay or decline as the bank page is answered', async () => {
    const a = await newOrder();
    await submit(a.orderRef, { method: 'netbanking', bank: 'HDFC Bank', outcome: 'success' });
    expect((await rig.gateway.status(a.orderRef)).state).toBe('captured');
    const b = await newOrder();
    await submit(b.orderRef, { method: 'wallet', wallet: 'Paytm', outcome: 'failure' });
    expect(await rig.gateway.status(b.orderRef)).toMatchObject({ state: 'failed', error: 'wallet_declined: Paytm declined the payment' });
  });

  it('the "approve later" card sends the user back at once; the capture and its webhook come after the delay', async () => {
    const { orderRef } = await newOrder();
    const res = await submit(orderRef, { method: 'card', number: '4000 0000 0000 3220', expiry: '12/39', cvv: '123' });
    expect(res.status).toBe(303);
    expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    expect(await (await page(orderRef)).text()).toContain('Approval requested.');
    await webhooksSoon(orderRef, 1);
    expect((await rig.gateway.status(orderRef)).state).toBe('captured');
  });

  it('a card that is not a test card, a past expiry or a bad CVV come back as a 400 form naming each field, and change nothing', async () => {
    const { orderRef } = await newOrder();
    const res = await fetch(`${rig.url}/test-gateway/pay/${orderRef}?lang=hi`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ method: 'card', number: '5555 5555 5555 4444', expiry: '01/20', cvv: '12' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="number-error"');
    expect(html).toContain('id="expiry-error"');
    expect(html).toContain('id="cvv-error"');
    expect(html).toContain('नीचे दिए गए टेस्ट कार्ड नंबरों में से एक डालें।');
    expect(html).toContain('value="5555 5555 5555 4444"');
    expect((await submit(orderRef, { method: 'upi', vpa: 'someone@okbank' })).status).toBe(400);
    expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    expect(webhooksFor(orderRef)).toHaveLength(0);
  });

  it('after its deadline the page says the link expired and a submitted form changes nothing', async () => {
    const { orderRef } = await newOrder({ expiresAt: rig.clock.now() + 1000 });
    rig.clock.advance(1000);
    try {
      expect(await (await page(orderRef)).text()).toContain('This payment link has expired.');
      const res = await submit(orderRef, { method: 'card', number: '4111111111111111', expiry: '12/39', cvv: '123' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/test-gateway/pay/${orderRef}?lang=en`);
      expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    } finally {
      rig.clock.advance(-1000);
    }
  });
});

describe('drive routes', () => {
  it('succeed and fail drive an order by its ref or by our payment id, and answer the order and its webhook', async () => {
    const paymentId = `pay_drive_${Date.now()}`;
    const { orderRef } = await newOrder({ paymentId });
    const failed = await post(`/api/test-gateway/payments/${paymentId}/fail`, { reason: 'insufficient_funds' });
    expect(await failed.json()).toMatchObject({ changed: true, order: { orderRef, paymentId, state: 'failed', error: 'insufficient_funds' }, webhook: { delivered: true } });
    const paid = await post(`/api/test-gateway/payments/${orderRef}/succeed`, { webhook: false });
    expect(await paid.json()).toMatchObject({ changed: true, order: { state: 'captured' }, webhook: null });
    expect(webhooksFor(orderRef).map((w) => w.body.type)).toEqual(['payment.failed']);
    expect(await (await fetch(`${rig.url}/api/test-gateway/payments/${paymentId}`)).json()).toMatchObject({ order: { orderRef, state: 'captured', refunded: 0 } });
  });

  it('a bad body is a 400 VALIDATION and an unknown order a 404, changing nothing', async () => {
    const { orderRef } = await newOrder();
    const bad = await post(`/api/test-gateway/payments/${orderRef}/succeed-late`, { delayMs: -5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    expect((await post(`/api/test-gateway/payments/${orderRef}/succeed-late`, {})).status).toBe(400);
    expect((await post('/api/test-gateway/refunds/fail-next', { count: 0 })).status).toBe(400);
    expect((await post('/api/test-gateway/payments/nobody/succeed')).status).toBe(404);
    expect((await post('/api/test-gateway/payments/bad%20id/succeed')).status).toBe(400);
    expect((await rig.gateway.status(orderRef)).state).toBe('pending');
  });

  it('with another gateway the drive routes and the pay page do not exist (404)', async () => {
    const deps = { dynamo: rig.dynamo, clock: rig.clock, logger: pino({ level: 'silent' }), publicUrl: rig.url, secret: SECRET };
    const none = createGateway({ gateway: 'none', windowSeconds: 600, razorpay: undefined, stripe: undefined }, deps);
    expect(none).toBeNull();
    const app = express();
    expect(mountTestGatewayRoutes(app, none)).toBe(false);
    // A stand-in for a real gateway: the same port, another name.
    expect(mountTestGatewayRoutes(app, { ...rig.gateway, name: 'stripe' } as never)).toBe(false);
    app.use((_req, res) => res.status(404).json({ error: { code: 'NOT_FOUND' } }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const { orderRef } = await newOrder();
      for (const path of [`/api/test-gateway/payments/${orderRef}/succeed`, `/api/test-gateway/payments/${orderRef}/fail`, `/api/test-gateway/payments/${orderRef}/succeed-late`, '/api/test-gateway/refunds/fail-next']) {
        expect((await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"delayMs":1}' })).status).toBe(404);
      }
      expect((await fetch(`${url}/test-gateway/pay/${orderRef}`)).status).toBe(404);
      expect((await rig.gateway.status(orderRef)).state).toBe('pending');
    } finally {
      server.close();
    }
    // The test gateway itself is what createGateway gives for 'test'.
    const test = createGateway({ gateway: 'test', windowSeconds: 600, razorpay: undefined, stripe: undefined }, deps);
    expect(test?.name).toBe('test');
    expect(mountTestGatewayRoutes(express(), test)).toBe(true);
  });

  it('the app as it is wired today answers 404 on the drive routes', async () => {
    const h = await startHarness();
    try {
      const res = await fetch(`${h.url}/api/test-gateway/payments/tgo_x/succeed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
