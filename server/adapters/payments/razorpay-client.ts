import Razorpay from 'razorpay';

export interface RazorpaySettings {
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** Where the SDK sends its requests (a local stand-in in tests); unset: https://api.razorpay.com. */
  apiUrl?: string;
  /** Per request; the SDK itself has none (axios waits for ever). */
  timeoutMs?: number;
}

/** The part of axios the SDK keeps in `api.rq` that we touch. */
interface AxiosInstanceLike {
  defaults: { baseURL?: string; timeout?: number };
  interceptors: { response: { use(onOk: undefined, onError: (err: unknown) => unknown): unknown } };
}

/**
 * The SDK has no base-URL option; its maintainers replace `api.rq` in their own e2e tests
 * (razorpay-node#370), we only re-point it. Its error normaliser reads `err.response.status`,
 * which a timeout or a refused connection lacks (it would throw a bare TypeError), so
 * network errors are given a response-shaped form first.
 */
export function createRazorpayClient(settings: RazorpaySettings): Razorpay {
  const client = new Razorpay({ key_id: settings.keyId, key_secret: settings.keySecret });
  const rq = (client.api as unknown as { rq: AxiosInstanceLike }).rq;
  if (settings.apiUrl) rq.defaults.baseURL = settings.apiUrl.replace(/\/$/, '');
  rq.defaults.timeout = settings.timeoutMs ?? 15_000;
  rq.interceptors.response.use(undefined, (err) => {
    const e = err as { response?: unknown; code?: string; message?: string };
    if (e.response) return Promise.reject(err);
    return Promise.reject({ response: { status: 0, data: { error: { code: e.code ?? 'NETWORK_ERROR', description: e.message ?? String(err) } } } });
  });
  return client;
}

/** Razorpay's rejections are plain `{statusCode, error: {code, description}}` objects. */
export function describeRazorpayError(err: unknown): string {
  const e = err as { statusCode?: number; error?: { code?: string; description?: string }; message?: string };
  if (e && typeof e === 'object' && 'statusCode' in e) {
    const what = e.error ? `${e.error.code ?? 'ERROR'}: ${e.error.description ?? 'no description'}` : 'no error body';
    return e.statusCode === 0 ? `network error (${what})` : `HTTP ${e.statusCode} ${what}`;
  }
  return e instanceof Error ? e.message : String(err);
}

/** Runs one SDK call; any failure becomes an Error naming the call and what Razorpay said. */
export async function razorpayCall<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new Error(`Razorpay ${what} failed: ${describeRazorpayError(err)}`, { cause: err });
  }
}

/** True when Razorpay answered that the id does not exist (it says so with a 400). */
export function isRazorpayNotFound(err: unknown): boolean {
  const cause = (err as { cause?: { statusCode?: number; error?: { description?: string } } }).cause;
  return (cause?.statusCode === 400 || cause?.statusCode === 404) && /does not exist|not found/i.test(cause.error?.description ?? '');
}
