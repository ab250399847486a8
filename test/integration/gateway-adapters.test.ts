/**
 * The Razorpay and Stripe adapters through their official SDKs over real HTTP, against local
 * stand-ins of the two APIs (FAKES: test/support/fakes/; the real services cannot be reached
 * from here). Webhooks are signed as each gateway signs them (Stripe: the SDK's own helper).
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../server/config.js';
import { systemClock, type PaymentGateway } from '../../server/ports.js';
import { createRazorpayGateway, razorpayCheckoutRoutes } from '../../server/adapters/payments/razorpay.js';
import { createStripeGateway } from '../../server/adapters/payments/stripe.js';
import { startRazorpayStandin, type RazorpayStandin } from '../support/fakes/razorpay-standin.js';
import { startStripeStandin, type StripeStandin } from '../support/fakes/stripe-standin.js';
import { testDynamo } from '../support/harness.js';

const publicUrl = 'http://localhost:3999';
let n = 0;
const order = (over: Partial<Parameters<PaymentGateway['createOrder']>[0]> = {}) => {
  const id = `${Date.now().toString(36)}${++n}`;
  return {
    paymentId: `pm_${id}`,
    bookingId: `bk_${id}`,
    amount: 45_000,
    currency: 'INR',
    description: 'Pushpa 2 · G7, G8',
    returnUrl: `${publicUrl}/bookings/bk_${id}/return`,
    expiresAt: Date.now() + 600_000,
    ...over,
  };
};

describe('Razorpay adapter (against the FAKE Razorpay API)', () => {
  let rzp: RazorpayStandin;
  let gateway: PaymentGateway;
  const settings = () => ({ keyId: rzp.keyId, keySecret: rzp.keySecret, webhookSecret: rzp.webhookSecret, apiUrl: rzp.url, timeoutMs: 2_000 });
  beforeAll(async () => {
    rzp = await startRazorpayStandin();
    gateway = createRazorpayGateway(settings(), { publicUrl });
  });
  afterAll(() => rzp.close());
  afterEach(() => {
    rzp.hang(0);
    rzp.failRefunds(null);
    rzp.refundsPending(false);
  });

  it('createOrder makes one order per payment (receipt = payment id, our ids in notes); a retry finds the same order; payUrl is our checkout page', async () => {
    const p = order();
    const first = await gateway.createOrder(p);
    const again = await gateway.createOrder(p);
    expect(again).toEqual(first);
    const made = [...rzp.orders.values()].filter((o) => o.receipt === p.paymentId);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ id: first.orderRef, amount: 45_000, currency: 'INR', notes: { paymentId: p.paymentId, bookingId: p.bookingId, returnUrl: p.returnUrl } });
    expect(first.payUrl).toBe(`${publicUrl}/pay/razorpay/${first.orderRef}`);
  });

  it('createOrder refuses a currency other than INR, before calling Razorpay', async () => {
    const before = rzp.requests.length;
    await expect(gateway.createOrder(order({ currency: 'AED' }))).rejects.toThrow(/Razorpay takes INR only/);
    expect(rzp.requests.length).toBe(before);
  });

  it('status: pending, then failed with the bank’s reason after a decline, then captured with the Razorpay payment as captureRef', async () => {
    const p = order();
    const { orderRef } = await gateway.createOrder(p);
    expect(await gateway.status(orderRef)).toEqual({ paymentId: p.paymentId, orderRef, state: 'pending', amount: 45_000, currency: 'INR' });
    rzp.decline(orderRef, 'Your bank declined this payment');
    expect(await gateway.status(orderRef)).toMatchObject({ state: 'failed', error: 'Your bank declined this payment' });
    const { payment } = rzp.pay(orderRef);
    expect(await gateway.status(orderRef)).toEqual({ paymentId: p.paymentId, orderRef, state: 'captured', captureRef: payment.id, amount: 45_000, currency: 'INR' });
  });

  it('parseWebhook reads signed payment.captured, order.paid and payment.failed events (event id from X-Razorpay-Event-Id)', async () => {
    const p = order();
    const { orderRef } = await gateway.createOrder(p);
    const declined = rzp.decline(orderRef, 'Insufficient funds');
    const failedHook = rzp.webhook('payment.failed', declined.id, { eventId: 'evt_failed_1' });
    expect(gateway.parseWebhook(failedHook.body, failedHook.headers)).toEqual({
      eventId: 'evt_failed_1', paymentId: p.paymentId, orderRef, state: 'failed', amount: 45_000, currency: 'INR', error: 'Insufficient funds',
    });
    const { payment } = rzp.pay(orderRef);
    for (const event of ['payment.captured', 'order.paid'] as const) {
      const hook = rzp.webhook(event, payment.id, { eventId: `evt_${event}` });
      expect(gateway.parseWebhook(hook.body, hook.headers)).toEqual({
        eventId: `evt_${event}`, paymentId: p.paymentId, orderRef, state: 'captured', captureRef: payment.id, amount: 45_000, currency: 'INR',
      });
    }
  });

  it('parseWebhook rejects a forged signature, a missing one, and a body changed after signing', async () => {
    const { orderRef } = await gateway.createOrder(order());
    const { payment } = rzp.pay(orderRef);
    const forged = rzp.webhook('payment.captured', payment.id, { secret: 'not-the-secret' });
    const unsigned = rzp.webhook('payment.captured', payment.id, { secret: null });
    const signed = rzp.webhook('payment.captured', payment.id);
    const tampered = Buffer.from(signed.body.toString().replace('"amount":45000', '"amount":100'));
    expect(tampered.equals(signed.body)).toBe(false);
    expect(gateway.parseWebhook(forged.body, forged.headers)).toBeNull();
    expect(gateway.parseWebhook(unsigned.body, unsigned.headers)).toBeNull();
    expect(gateway.parseWebhook(tampered, signed.headers)).toBeNull();
    expect(gateway.parseWebhook(signed.body, signed.headers)).not.toBeNull();
  });

  it('refund is idempotent by refundId (found again in the refunds’ notes); refundStatus follows pending → succeeded, and a failed refund reads failed', async () => {
    const { orderRef } = await gateway.createOrder(order());
    const { payment } = rzp.pay(orderRef);
    rzp.refundsPending(true);
    const r = { orderRef, captureRef: payment.id, amount: 20_000, currency: 'INR', refundId: `rf_${n}` };
    const first = await gateway.refund(r);
    const again = await gateway.refund(r);
    expect(again).toEqual(first);
    expect(first.state).toBe('pending');
    expect([...rzp.refunds.values()].filter((x) => x.payment_id === payment.id)).toHaveLength(1);
    expect(rzp.refunds.get(first.refundRef)).toMatchObject({ amount: 20_000, notes: { refundId: r.refundId } });
    expect(await gateway.refundStatus({ refundRef: first.refundRef, refundId: r.refundId })).toBe('pending');
    rzp.settleRefund(first.refundRef, 'processed');
    expect(await gateway.refundStatus({ refundRef: first.refundRef, refundId: r.refundId })).toBe('succeeded');

    rzp.failRefunds('status');
    const second = await gateway.refund({ ...r, amount: 5_000, refundId: `rf_${n}_b` });
    expect(second.state).toBe('failed');
    expect(await gateway.refundStatus({ refundRef: second.refundRef, refundId: `rf_${n}_b` })).toBe('failed');
  });

  it('Razorpay errors, timeouts and bad keys surface as thrown errors naming the call and what went wrong', async () => {
    const { orderRef } = await gateway.createOrder(order());
    const { payment } = rzp.pay(orderRef);
    rzp.failRefunds('error');
    await expect(gateway.refund({ orderRef, captureRef: payment.id, amount: 100, currency: 'INR', refundId: 'rf_err' })).rejects.toThrow(
      /^Razorpay payments\.refund failed: HTTP 500 SERVER_ERROR: We are facing some trouble/,
    );
    await expect(gateway.status('order_doesnotexist00')).rejects.toThrow(/^Razorpay orders\.fetch failed: HTTP 400 BAD_REQUEST_ERROR: The id provided does not exist/);
    const wrongKey = createRazorpayGateway({ ...settings(), keySecret: 'wrong' }, { publicUrl });
    await expect(wrongKey.status(orderRef)).rejects.toThrow(/^Razorpay orders\.fetch failed: HTTP 401 BAD_REQUEST_ERROR: Authentication failed/);

    const impatient = createRazorpayGateway({ ...settings(), timeoutMs: 200 }, { publicUrl });
    rzp.hang(1_000);
    const started = Date.now();
    await expect(impatient.createOrder(order())).rejects.toThrow(/^Razorpay orders\.all failed: network error \(ECONNABORTED: timeout of 200ms exceeded\)/);
    expect(Date.now() - started).toBeLessThan(900);
    const nowhere = createRazorpayGateway({ ...settings(), apiUrl: 'http://127.0.0.1:1' }, { publicUrl });
    await expect(nowhere.status(orderRef)).rejects.toThrow(/^Razorpay orders\.fetch failed: network error \(ECONNREFUSED: connect ECONNREFUSED/);
  });

  describe('our checkout page (payUrl)', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      const app = express();
      app.use(razorpayCheckoutRoutes(settings()));
      server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const pageOf = (payUrl: string) => base + new URL(payUrl).pathname;

    it('renders a page that loads checkout.js (allowed by its CSP) with the order, key id and our ids, in the language asked for', async () => {
      const p = order();
      const { orderRef, payUrl } = await gateway.createOrder(p);
      const res = await fetch(pageOf(payUrl), { headers: { 'accept-language': 'hi' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<script src="https://checkout.razorpay.com/v1/checkout.js"');
      expect(html).toContain(`"order_id":"${orderRef}"`);
      expect(html).toContain(`"key":"${rzp.keyId}"`);
      expect(html).toContain(`"paymentId":"${p.paymentId}"`);
      expect(html).not.toContain(rzp.keySecret);
      expect(html).toContain('का भुगतान करें'); // "Pay {amount}" in Hindi
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+' https:\/\/checkout\.razorpay\.com/);
      // Not the app's no-referrer: with it the browser posts the form back with `Origin: null`, refused as cross-site.
      expect(res.headers.get('referrer-policy')).toBe('strict-origin');
      expect((await fetch(`${base}/pay/razorpay/order_unknown0000000`)).status).toBe(404);
      expect((await fetch(`${base}/pay/razorpay/not-an-order`)).status).toBe(404);
    });

    it('the POST back checks razorpay_signature (HMAC of order_id|payment_id) and only then sends the user to returnUrl', async () => {
      const p = order();
      const { orderRef, payUrl } = await gateway.createOrder(p);
      const { checkoutResponse } = rzp.pay(orderRef);
      const post = (fields: Record<string, string>) =>
        fetch(pageOf(payUrl), { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields) });
      const ok = await post(checkoutResponse);
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe(`${p.returnUrl}?razorpay_order_id=${orderRef}&razorpay_payment_id=${checkoutResponse.razorpay_payment_id}`);
      const forged = await post({ ...checkoutResponse, razorpay_signature: 'f'.repeat(64) });
      expect(forged.status).toBe(400);
      expect(forged.headers.get('location')).toBeNull();
      const missing = await post({ razorpay_payment_id: checkoutResponse.razorpay_payment_id });
      expect(missing.status).toBe(400);
    });
  });
});

describe('Stripe adapter (against the FAKE Stripe API)', () => {
  let stripe: StripeStandin;
  let gateway: PaymentGateway;
  const settings = () => ({ secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret, apiUrl: stripe.url, timeoutMs: 2_000, maxNetworkRetries: 0 });
  const aed = (over: Partial<Parameters<PaymentGateway['createOrder']>[0]> = {}) => order({ currency: 'AED', amount: 9_000, ...over });
  beforeAll(async () => {
    stripe = await startStripeStandin();
    gateway = createStripeGateway(settings(), { publicUrl });
  });
  afterAll(() => stripe.close());
  afterEach(() => {
    stripe.hang(0);
    stripe.failRefunds(null);
    stripe.refundsPending(false);
  });

  it('createOrder makes one Checkout Session per payment (idempotency key = payment id); a retry gets the same session; payUrl is its url', async () => {
    const p = aed();
    const first = await gateway.createOrder(p);
    const again = await gateway.createOrder(p);
    expect(again).toEqual(first);
    const made = [...stripe.sessions.values()].filter((s) => s.client_reference_id === p.paymentId);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      id: first.orderRef,
      url: first.payUrl,
      amount_total: 9_000,
      currency: 'aed',
      metadata: { paymentId: p.paymentId, bookingId: p.bookingId },
      success_url: `${p.returnUrl}?session_id={CHECKOUT_SESSION_ID}`,
      // Stripe's shortest session is 30 minutes: that long past our deadline, from the deadline alone.
      expires_at: Math.ceil(p.expiresAt / 1000) + 1800,
    });
    // The key really reaches Stripe: the same payment id with another amount is refused.
    await expect(gateway.createOrder({ ...p, amount: 1 })).rejects.toThrow(/^Stripe checkout\.sessions\.create failed: HTTP 400 StripeIdempotencyError: Keys for idempotent requests/);
  });

  it('createOrder takes AED and INR and refuses other currencies before calling Stripe', async () => {
    expect((await gateway.createOrder(order({ currency: 'INR' }))).orderRef).toMatch(/^cs_test_/);
    const before = stripe.requests.length;
    await expect(gateway.createOrder(order({ currency: 'USD' }))).rejects.toThrow(/AED and INR/);
    expect(stripe.requests.length).toBe(before);
  });

  it('status: pending, failed with the card’s decline, then captured with the PaymentIntent as captureRef; an expired session reads failed', async () => {
    const p = aed();
    const { orderRef } = await gateway.createOrder(p);
    expect(await gateway.status(orderRef)).toEqual({ paymentId: p.paymentId, orderRef, state: 'pending', amount: 9_000, currency: 'AED' });
    stripe.decline(orderRef, 'Your card has insufficient funds.');
    expect(await gateway.status(orderRef)).toMatchObject({ state: 'failed', error: 'Your card has insufficient funds.' });
    const pi = stripe.pay(orderRef);
    expect(await gateway.status(orderRef)).toEqual({ paymentId: p.paymentId, orderRef, state: 'captured', captureRef: pi.id, amount: 9_000, currency: 'AED' });

    const late = await gateway.createOrder(aed());
    stripe.expire(late.orderRef);
    expect(await gateway.status(late.orderRef)).toMatchObject({ state: 'failed', error: 'Checkout Session expired' });
  });

  it('parseWebhook reads signed checkout.session.completed / async_payment_* and payment_intent.payment_failed events, with Stripe’s event id', async () => {
    const p = aed();
    const { orderRef } = await gateway.createOrder(p);
    stripe.decline(orderRef, 'Your card was declined.');
    const declined = stripe.webhook('payment_intent.payment_failed', orderRef);
    expect(gateway.parseWebhook(declined.body, declined.headers)).toEqual({
      eventId: declined.eventId, paymentId: p.paymentId, orderRef: '', state: 'failed', amount: 9_000, currency: 'AED', error: 'Your card was declined.',
    });
    const pi = stripe.pay(orderRef);
    const completed = stripe.webhook('checkout.session.completed', orderRef);
    expect(gateway.parseWebhook(completed.body, completed.headers)).toEqual({
      eventId: completed.eventId, paymentId: p.paymentId, orderRef, state: 'captured', captureRef: pi.id, amount: 9_000, currency: 'AED',
    });

    const slow = await gateway.createOrder(aed());
    stripe.payDelayed(slow.orderRef);
    const waiting = stripe.webhook('checkout.session.completed', slow.orderRef);
    expect(gateway.parseWebhook(waiting.body, waiting.headers)).toMatchObject({ state: 'pending' });
    stripe.settleDelayed(slow.orderRef, true);
    const settled = stripe.webhook('checkout.session.async_payment_succeeded', slow.orderRef);
    expect(gateway.parseWebhook(settled.body, settled.headers)).toMatchObject({ state: 'captured', orderRef: slow.orderRef });
    const bounced = stripe.webhook('checkout.session.async_payment_failed', slow.orderRef);
    expect(gateway.parseWebhook(bounced.body, bounced.headers)).toMatchObject({ state: 'failed', error: 'delayed payment failed' });
    const other = stripe.webhook('checkout.session.expired', slow.orderRef);
    expect(gateway.parseWebhook(other.body, other.headers)).toBeNull();
  });

  it('parseWebhook rejects a forged signature, a missing one, and a body changed after signing', async () => {
    const { orderRef } = await gateway.createOrder(aed());
    stripe.pay(orderRef);
    const forged = stripe.webhook('checkout.session.completed', orderRef, { secret: 'whsec_not_ours' });
    const unsigned = stripe.webhook('checkout.session.completed', orderRef, { secret: null });
    const signed = stripe.webhook('checkout.session.completed', orderRef);
    const tampered = Buffer.from(signed.body.toString().replace('"amount_total":9000', '"amount_total":1'));
    expect(tampered.equals(signed.body)).toBe(false);
    expect(gateway.parseWebhook(forged.body, forged.headers)).toBeNull();
    expect(gateway.parseWebhook(unsigned.body, unsigned.headers)).toBeNull();
    expect(gateway.parseWebhook(tampered, signed.headers)).toBeNull();
    expect(gateway.parseWebhook(signed.body, signed.headers)).not.toBeNull();
  });

  it('refund is idempotent by refundId, also after Stripe forgot the idempotency key (found in the refunds’ metadata); refundStatus follows it', async () => {
    const { orderRef } = await gateway.createOrder(aed());
    const pi = stripe.pay(orderRef);
    stripe.refundsPending(true);
    const r = { orderRef, captureRef: pi.id, amount: 4_500, currency: 'AED', refundId: `rf_s_${n}` };
    const first = await gateway.refund(r);
    expect(await gateway.refund(r)).toEqual(first);
    stripe.forgetIdempotencyKeys();
    expect(await gateway.refund(r)).toEqual(first);
    expect([...stripe.refunds.values()].filter((x) => x.payment_intent === pi.id)).toHaveLength(1);
    expect(stripe.refunds.get(first.refundRef)).toMatchObject({ amount: 4_500, metadata: { refundId: r.refundId } });
    expect(first.state).toBe('pending');
    expect(await gateway.refundStatus({ refundRef: first.refundRef, refundId: r.refundId })).toBe('pending');
    stripe.settleRefund(first.refundRef, 'succeeded');
    expect(await gateway.refundStatus({ refundRef: first.refundRef, refundId: r.refundId })).toBe('succeeded');

    stripe.failRefunds('status');
    const failed = await gateway.refund({ ...r, amount: 1_000, refundId: `rf_s_${n}_b` });
    expect(failed.state).toBe('failed');
    expect(await gateway.refundStatus({ refundRef: failed.refundRef, refundId: `rf_s_${n}_b` })).toBe('failed');
  });

  it('Stripe errors, timeouts and bad keys surface as thrown errors naming the call and what went wrong', async () => {
    const { orderRef } = await gateway.createOrder(aed());
    const pi = stripe.pay(orderRef);
    stripe.failRefunds('error');
    await expect(gateway.refund({ orderRef, captureRef: pi.id, amount: 100, currency: 'AED', refundId: 'rf_s_err' })).rejects.toThrow(
      /^Stripe refunds\.create failed: HTTP 500 StripeAPIError: An unknown error occurred/,
    );
    await expect(gateway.status('cs_test_missing')).rejects.toThrow(/^Stripe checkout\.sessions\.retrieve failed: HTTP 404 StripeInvalidRequestError \(resource_missing\): No such checkout\.session/);
    const wrongKey = createStripeGateway({ ...settings(), secretKey: 'sk_test_wrong' }, { publicUrl });
    await expect(wrongKey.status(orderRef)).rejects.toThrow(/^Stripe checkout\.sessions\.retrieve failed: HTTP 401 .*Invalid API Key/);

    const impatient = createStripeGateway({ ...settings(), timeoutMs: 200 }, { publicUrl });
    stripe.hang(1_000);
    const started = Date.now();
    await expect(impatient.status(orderRef)).rejects.toThrow(/^Stripe checkout\.sessions\.retrieve failed: StripeConnectionError: Request aborted due to timeout being reached \(200ms\)/);
    expect(Date.now() - started).toBeLessThan(900);
    const nowhere = createStripeGateway({ ...settings(), apiUrl: 'http://127.0.0.1:1' }, { publicUrl });
    await expect(nowhere.status(orderRef)).rejects.toThrow(/^Stripe checkout\.sessions\.retrieve failed: StripeConnectionError: An error occurred with our connection to Stripe/);
  });
});

describe('built from the parsed configuration, with the deps the gateway wiring passes', () => {
  it('RAZORPAY_* and STRIPE_* (with their API URLs pointed at the stand-ins) make working gateways', async () => {
    const [rzp, stripe] = await Promise.all([startRazorpayStandin(), startStripeStandin()]);
    try {
      const deps = { dynamo: testDynamo(), clock: systemClock, logger: pino({ level: 'silent' }), publicUrl };
      const razorpay = loadConfig({
        PAYMENT_GATEWAY: 'razorpay', RAZORPAY_KEY_ID: rzp.keyId, RAZORPAY_KEY_SECRET: rzp.keySecret, RAZORPAY_WEBHOOK_SECRET: rzp.webhookSecret, RAZORPAY_API_URL: rzp.url,
      }).payments.razorpay!;
      const viaRazorpay = await createRazorpayGateway(razorpay, deps).createOrder(order());
      expect(rzp.orders.has(viaRazorpay.orderRef)).toBe(true);
      const stripeSettings = loadConfig({ PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_URL: stripe.url }).payments.stripe!;
      const viaStripe = await createStripeGateway(stripeSettings, deps).createOrder(order({ currency: 'AED' }));
      expect(stripe.sessions.has(viaStripe.orderRef)).toBe(true);
    } finally {
      await Promise.all([rzp.close(), stripe.close()]);
    }
  });
});
