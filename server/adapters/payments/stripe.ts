/** Placeholder until the stripe adapter lands (built on another branch); it replaces this file. */
import type { PaymentSettings } from '../../config.js';
import type { PaymentGateway } from '../../ports.js';

export function createStripeGateway(_settings: NonNullable<PaymentSettings['stripe']>, _deps: unknown): PaymentGateway {
  throw new Error('stripe gateway: not built yet');
}
