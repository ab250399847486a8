/** Reads a submitted pay form: what the customer chose, or the fields to correct. */
import { BANKS, METHODS, TEST_CARDS, TEST_UPI, WALLETS, type FormState, type Method } from './test-gateway-page.js';

export type Outcome = { outcome: 'success' } | { outcome: 'decline'; reason: string } | { outcome: 'later' };
export type Submission = { ok: true; method: Method; result: Outcome } | { ok: false; method: Method; form: FormState };

const digits = (s: string) => s.replace(/[\s-]/g, '');
const str = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 200) : '');

/** A card expiry `MM/YY` that is not in the past at `now`. */
function expiryValid(value: string, now: number): boolean {
  const m = /^(\d{2})\s*\/\s*(\d{2})$/.exec(value);
  if (!m) return false;
  const month = Number(m[1]);
  if (month < 1 || month > 12) return false;
  const endOfMonth = Date.UTC(2000 + Number(m[2]), month, 1);
  return endOfMonth > now;
}

function byCard(number: string): Outcome | null {
  if (number === digits(TEST_CARDS.success)) return { outcome: 'success' };
  if (number === digits(TEST_CARDS.decline)) return { outcome: 'decline', reason: 'card_declined: the issuer declined the card' };
  if (number === digits(TEST_CARDS.later)) return { outcome: 'later' };
  return null;
}

function byUpi(vpa: string): Outcome | null {
  if (vpa === TEST_UPI.success) return { outcome: 'success' };
  if (vpa === TEST_UPI.decline) return { outcome: 'decline', reason: 'upi_declined: the payer declined the collect request' };
  if (vpa === TEST_UPI.later) return { outcome: 'later' };
  return null;
}

export function readSubmission(body: Record<string, unknown>, now: number): Submission {
  const method = (METHODS as readonly string[]).includes(str(body.method)) ? (str(body.method) as Method) : 'card';
  const errors: FormState['errors'] = {};
  const values: FormState['values'] = {};
  let result: Outcome | null = null;
  if (method === 'card') {
    values.number = str(body.number);
    values.expiry = str(body.expiry);
    result = byCard(digits(values.number));
    if (!result) errors.number = 'errorCard';
    if (!expiryValid(values.expiry, now)) errors.expiry = 'errorExpiry';
    if (!/^\d{3}$/.test(str(body.cvv))) errors.cvv = 'errorCvv';
  } else if (method === 'upi') {
    values.vpa = str(body.vpa);
    result = byUpi(values.vpa.toLowerCase());
    if (!result) errors.vpa = 'errorUpi';
  } else {
    const name = method === 'netbanking' ? 'bank' : 'wallet';
    const list: readonly string[] = method === 'netbanking' ? BANKS : WALLETS;
    values[name] = str(body[name]);
    const outcome = str(body.outcome);
    if (!list.includes(values[name]) || !['success', 'failure'].includes(outcome)) errors[name] = 'errorChoice';
    result = outcome === 'success' ? { outcome: 'success' } : { outcome: 'decline', reason: `${method}_declined: ${values[name]} declined the payment` };
  }
  if (Object.keys(errors).length > 0 || !result) return { ok: false, method, form: { values, errors } };
  return { ok: true, method, result };
}
