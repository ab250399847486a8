/** Picks the configured payment gateway (PAYMENT_GATEWAY); `none` books without one. */
import type { Logger } from 'pino';
import type { PaymentSettings } from '../../config.js';
import type { Clock, PaymentGateway } from '../../ports.js';
import type { Dynamo } from '../dynamo/client.js';
import { createRazorpayGateway } from './razorpay.js';
import { createStripeGateway } from './stripe.js';
import type { Router } from 'express';
import { razorpayCheckoutRoutes } from './razorpay-checkout.js';
import { createTestGateway, isTestGateway } from './test-gateway.js';
import { testGatewayRoutes } from './test-gateway-routes.js';

export { isTestGateway, type TestGateway } from './test-gateway.js';

export interface GatewayDeps {
  dynamo: Dynamo;
  clock: Clock;
  logger: Logger;
  /** Our public address (pay page and return links); a function when it is known only after listen. */
  publicUrl: string | (() => string);
  fetch?: typeof fetch;
  /** The test gateway's signing secret (the app's JWT secret: every process shares it). */
  secret?: string;
  /** Test gateway only: where its webhooks go (default `<publicUrl>/api/payments/webhook/test`). */
  webhookUrl?: string | (() => string);
}

export function createGateway(settings: PaymentSettings, deps: GatewayDeps): PaymentGateway | null {
  switch (settings.gateway) {
    case 'none':
      return null;
    case 'test':
      if (!deps.secret) throw new Error('The test payment gateway needs a secret (pass the app\'s JWT secret).');
      return createTestGateway({ ...deps, secret: deps.secret });
    case 'razorpay':
      return createRazorpayGateway(settings.razorpay!, { ...deps, publicUrl: urlOf(deps.publicUrl) });
    case 'stripe':
      return createStripeGateway(settings.stripe!, { ...deps, publicUrl: urlOf(deps.publicUrl) });
  }
}

const urlOf = (u: string | (() => string)) => (typeof u === 'function' ? u() : u);

/** The gateway's own pages on our site: the test gateway's pay page and drive routes, Razorpay's checkout page (Stripe hosts its own). */
export function createGatewayRoutes(settings: PaymentSettings, gateway: PaymentGateway | null, deps: { logger: Logger; now?: () => number }): Router | null {
  if (isTestGateway(gateway)) return testGatewayRoutes(gateway, { now: deps.now });
  if (settings.gateway === 'razorpay') return razorpayCheckoutRoutes(settings.razorpay!, { logger: deps.logger });
  return null;
}
