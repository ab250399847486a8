/** Placeholder until the razorpay adapter lands (built on another branch); it replaces this file. */
import type { PaymentSettings } from '../../config.js';
import type { PaymentGateway } from '../../ports.js';

export function createRazorpayGateway(_settings: NonNullable<PaymentSettings['razorpay']>, _deps: unknown): PaymentGateway {
  throw new Error('razorpay gateway: not built yet');
}
