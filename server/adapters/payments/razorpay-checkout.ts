/**
 * Razorpay Checkout runs in the browser (checkout.js), so a Razorpay `payUrl` is a page of ours
 * that opens it for the order. It needs the real network: checkout.js loads from
 * checkout.razorpay.com, which cannot be reached from this sandbox, so the page is tested up
 * to the script tag and the POST back; the modal itself only in a real browser online.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Request, type Response, Router } from 'express';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Logger } from 'pino';
import { validatePaymentVerification } from 'razorpay/dist/utils/razorpay-utils.js';
import { createRazorpayClient, isRazorpayNotFound, razorpayCall, type RazorpaySettings } from './razorpay-client.js';

const LANGS = ['en', 'hi', 'te'] as const;
type Lang = (typeof LANGS)[number];
const KEYS = ['payPage.title', 'payPage.payWith', 'payPage.back', 'payPage.needsNetwork', 'payPage.notVerified'] as const;
type Key = (typeof KEYS)[number];

/** The page's words come from the client's catalogues, so they exist in every language the UI has. */
function loadTexts(): Record<Lang, Record<Key, string>> {
  const read = (l: Lang) => JSON.parse(readFileSync(new URL(`../../../client/src/locales/${l}.json`, import.meta.url), 'utf8'));
  return Object.fromEntries(LANGS.map((l) => [l, read(l)])) as Record<Lang, Record<Key, string>>;
}

const ORDER_ID = /^order_[A-Za-z0-9]{1,40}$/;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a <script>: no `</script>` or `<!--` can close it early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

interface OrderView {
  id: string;
  amount: number;
  currency: string;
  status: string;
  notes: Record<string, string>;
}

export function razorpayCheckoutRoutes(settings: RazorpaySettings, deps: { logger?: Logger; appName?: string } = {}): Router {
  const rzp = createRazorpayClient(settings);
  const texts = loadTexts();
  const router = Router();
  const t = (lang: Lang, key: Key, args: Record<string, string> = {}) => String(new IntlMessageFormat(texts[lang][key], lang).format(args));
  const langOf = (req: Request): Lang => (req.acceptsLanguages(...LANGS) || 'en') as Lang;

  async function fetchOrder(orderId: string, res: Response): Promise<OrderView | null> {
    if (!ORDER_ID.test(orderId)) {
      res.status(404).type('text/plain').send('Not found');
      return null;
    }
    try {
      const o = await razorpayCall('orders.fetch', () => rzp.orders.fetch(orderId));
      const notes = Array.isArray(o.notes) ? {} : (o.notes as Record<string, string>);
      return { id: o.id, amount: Number(o.amount), currency: o.currency, status: o.status, notes };
    } catch (err) {
      if (isRazorpayNotFound(err)) res.status(404).type('text/plain').send('Not found');
      else {
        deps.logger?.warn({ err, orderId }, 'razorpay checkout page: order lookup failed');
        res.status(503).type('text/plain').send('Unavailable');
      }
      return null;
    }
  }

  router.get('/pay/razorpay/:orderId', async (req, res) => {
    const order = await fetchOrder(req.params.orderId, res);
    if (!order) return;
    const returnUrl = order.notes.returnUrl ?? '/';
    if (order.status === 'paid') return res.redirect(303, returnUrl);
    const lang = langOf(req);
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', checkoutCsp(nonce));
    // The app-wide no-referrer makes the browser post the form back with `Origin: null`, which
    // our origin check refuses as cross-site; strict-origin names our origin, never the path.
    res.setHeader('Referrer-Policy', 'strict-origin');
    res.type('html').send(renderPage({ order, lang, nonce, keyId: settings.keyId, appName: deps.appName ?? 'Movie Magic', t }));
  });

  router.post('/pay/razorpay/:orderId', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const orderId = req.params.orderId;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const paymentId = typeof body.razorpay_payment_id === 'string' ? body.razorpay_payment_id : '';
    const signature = typeof body.razorpay_signature === 'string' ? body.razorpay_signature : '';
    // The signature covers the order we made (the one in our URL), never an order id the form names.
    const verified = !!paymentId && !!signature && validatePaymentVerification({ order_id: orderId, payment_id: paymentId }, signature, settings.keySecret);
    const order = await fetchOrder(orderId, res);
    if (!order) return;
    const returnUrl = order.notes.returnUrl ?? '/';
    if (!verified) {
      const lang = langOf(req);
      return res
        .status(400)
        .type('html')
        .send(`<!doctype html><html lang="${lang}"><meta charset="utf-8"><p>${escapeHtml(t(lang, 'payPage.notVerified'))}</p><p><a href="${escapeHtml(returnUrl)}">${escapeHtml(t(lang, 'payPage.back'))}</a></p></html>`);
    }
    const query = new URLSearchParams({ razorpay_order_id: orderId, razorpay_payment_id: paymentId });
    res.redirect(303, `${returnUrl}${returnUrl.includes('?') ? '&' : '?'}${query}`);
  });
  return router;
}

function checkoutCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' https://checkout.razorpay.com`,
    'frame-src https://api.razorpay.com https://checkout.razorpay.com',
    'connect-src https://*.razorpay.com',
    "img-src 'self' data: https://*.razorpay.com",
    "style-src 'self' 'unsafe-inline'",
    "form-action 'self'",
  ].join('; ');
}

function renderPage(p: {
  order: OrderView;
  lang: Lang;
  nonce: string;
  keyId: string;
  appName: string;
  t: (lang: Lang, key: Key, args?: Record<string, string>) => string;
}): string {
  const { order, lang, nonce, t } = p;
  const amount = new Intl.NumberFormat(`${lang}-IN`, { style: 'currency', currency: order.currency }).format(order.amount / 100);
  const returnUrl = order.notes.returnUrl ?? '/';
  const options = {
    key: p.keyId,
    order_id: order.id,
    amount: order.amount,
    currency: order.currency,
    name: p.appName,
    description: order.notes.description ?? '',
    // Payments carry our ids, so their webhooks name our payment.
    notes: { paymentId: order.notes.paymentId ?? '', bookingId: order.notes.bookingId ?? '' },
  };
  const title = escapeHtml(t(lang, 'payPage.title', { amount }));
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main>
<h1>${title}</h1>
<button id="pay" type="button">${escapeHtml(t(lang, 'payPage.payWith', { gateway: 'Razorpay' }))}</button>
<p id="offline" role="alert" hidden>${escapeHtml(t(lang, 'payPage.needsNetwork'))}</p>
<p><a href="${escapeHtml(returnUrl)}">${escapeHtml(t(lang, 'payPage.back'))}</a></p>
<form id="done" method="post" action="/pay/razorpay/${encodeURIComponent(order.id)}">
<input type="hidden" name="razorpay_payment_id"><input type="hidden" name="razorpay_order_id"><input type="hidden" name="razorpay_signature">
</form>
</main>
<script src="https://checkout.razorpay.com/v1/checkout.js" nonce="${nonce}"></script>
<script nonce="${nonce}">
const options = ${scriptJson(options)};
const form = document.getElementById('done');
function open() {
  if (typeof Razorpay !== 'function') { document.getElementById('offline').hidden = false; return; }
  const rzp = new Razorpay({ ...options, handler(r) {
    for (const k of ['razorpay_payment_id', 'razorpay_order_id', 'razorpay_signature']) form.elements[k].value = r[k];
    form.submit();
  } });
  rzp.open();
}
document.getElementById('pay').addEventListener('click', open);
open();
</script>
</body>
</html>`;
}
