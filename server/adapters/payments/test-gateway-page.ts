/**
 * The test gateway's hosted page: server-rendered HTML, no client bundle. Every value is
 * escaped; the words come from test-gateway-strings.json (en, hi, te). A tab is a link
 * (`?method=`), so the page works without script; one small same-origin script only counts
 * the time down.
 */
import strings from './test-gateway-strings.json' with { type: 'json' };
import type { TestOrderRecord } from './test-gateway-store.js';

export const LANGS = ['en', 'hi', 'te'] as const;
export type Lang = (typeof LANGS)[number];
export type StringKey = keyof (typeof strings)['en'];
export const METHODS = ['card', 'upi', 'netbanking', 'wallet'] as const;
export type Method = (typeof METHODS)[number];

export const TEST_CARDS = { success: '4111 1111 1111 1111', decline: '4000 0000 0000 0002', later: '4000 0000 0000 3220' } as const;
export const TEST_UPI = { success: 'success@upi', decline: 'failure@upi', later: 'later@upi' } as const;
export const BANKS = ['HDFC Bank', 'ICICI Bank', 'State Bank of India', 'Axis Bank', 'Kotak Mahindra Bank'] as const;
export const WALLETS = ['Paytm', 'PhonePe', 'Amazon Pay', 'MobiKwik'] as const;
export const COUNTDOWN_PATH = '/test-gateway/assets/countdown.js';

export function text(lang: Lang, key: StringKey, params: Record<string, string> = {}): string {
  return strings[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? `{${k}}`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Amount in minor units, in the currency's own decimals, for the page's language. */
export function formatAmount(minor: number, currency: string, lang: Lang): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(`${lang}-IN`, { style: 'currency', currency }).format(minor / 10 ** digits);
}

export function returnLink(order: Pick<TestOrderRecord, 'returnUrl' | 'orderRef'>): string {
  const url = new URL(order.returnUrl);
  url.searchParams.set('order', order.orderRef);
  return url.toString();
}

/** What the user typed, kept when the form comes back with errors (never the CVV). */
export interface FormState {
  values?: Partial<Record<'number' | 'expiry' | 'vpa' | 'bank' | 'wallet', string>>;
  errors?: Partial<Record<'number' | 'expiry' | 'cvv' | 'vpa' | 'bank' | 'wallet', StringKey>>;
}

export interface PageInput {
  lang: Lang;
  merchant: string;
  now: number;
  order: TestOrderRecord | null;
  method: Method;
  form?: FormState;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari","Noto Sans Telugu",sans-serif;background:#f3f4f6;color:#111827}
main{max-width:34rem;margin:0 auto;padding:1rem}
.banner{background:#fef3c7;color:#78350f;border:1px solid #f59e0b;border-radius:.5rem;padding:.5rem .75rem;margin:0 0 1rem}
h1{font-size:1.4rem;margin:.25rem 0 1rem}
.card{background:#fff;border:1px solid #d1d5db;border-radius:.75rem;padding:1rem;margin-bottom:1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}
dt{color:#4b5563}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.amount{font-size:1.25rem}
.tabs{list-style:none;margin:0 0 1rem;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.5rem}
.tabs a{display:block;text-align:center;padding:.6rem .5rem;border:1px solid #9ca3af;border-radius:.5rem;color:#1f2937;text-decoration:none;background:#fff}
.tabs a[aria-current="page"]{background:#1e3a8a;border-color:#1e3a8a;color:#fff;font-weight:600}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input,select{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7280;border-radius:.5rem;background:#fff;color:#111827}
input[aria-invalid="true"],select[aria-invalid="true"]{border-color:#b91c1c}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 .75rem}
.error{color:#b91c1c;margin:.25rem 0 0}
.alert{border-radius:.5rem;padding:.6rem .75rem;margin:0 0 1rem}
.alert.bad{background:#fee2e2;color:#7f1d1d}.alert.good{background:#dcfce7;color:#14532d}.alert.wait{background:#dbeafe;color:#1e3a8a}
button{font:inherit;font-weight:600;width:100%;min-height:2.75rem;margin-top:1rem;border-radius:.5rem;border:0;padding:.6rem 1rem;cursor:pointer;background:#1e3a8a;color:#fff}
button.secondary{background:#fff;color:#7f1d1d;border:1px solid #b91c1c}
a{color:#1e40af}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.hints{margin:1rem 0 0;padding-left:1.25rem;color:#374151}
.hints code{font-size:.95em;white-space:nowrap}
.langs{display:flex;flex-wrap:wrap;gap:.75rem;list-style:none;padding:0;margin:.25rem 0 0}
footer{margin-top:1rem}
`;

const langQuery = (lang: Lang) => `lang=${lang}`;

function timeLeft(lang: Lang, ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const label = escapeHtml(text(lang, 'minutesSeconds', { m: String(m), s: String(s) }));
  return `<time datetime="PT${m}M${s}S" data-remaining-ms="${Math.max(0, ms)}" data-format="${escapeHtml(strings[lang].minutesSeconds)}" id="time-left">${label}</time>`;
}

function field(
  p: PageInput,
  name: 'number' | 'expiry' | 'cvv' | 'vpa',
  label: StringKey,
  attrs: string,
): string {
  const error = p.form?.errors?.[name];
  const value = name === 'cvv' ? '' : (p.form?.values?.[name as 'number'] ?? '');
  const described = error ? ` aria-invalid="true" aria-describedby="${name}-error"` : '';
  return `<div><label for="${name}">${escapeHtml(text(p.lang, label))}</label><input id="${name}" name="${name}" value="${escapeHtml(value)}" required ${attrs}${described}>${
    error ? `<p class="error" id="${name}-error">${escapeHtml(text(p.lang, error))}</p>` : ''
  }</div>`;
}

function choice(p: PageInput, name: 'bank' | 'wallet', label: StringKey, options: readonly string[]): string {
  const error = p.form?.errors?.[name];
  const chosen = p.form?.values?.[name];
  const described = error ? ` aria-invalid="true" aria-describedby="${name}-error"` : '';
  const opts = options.map((o) => `<option${o === chosen ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('');
  return `<label for="${name}">${escapeHtml(text(p.lang, label))}</label><select id="${name}" name="${name}" required${described}>${opts}</select>${
    error ? `<p class="error" id="${name}-error">${escapeHtml(text(p.lang, error))}</p>` : ''
  }`;
}

const hints = (p: PageInput, heading: StringKey, list: Record<'success' | 'decline' | 'later', string>) =>
  `<p id="hints-heading"><strong>${escapeHtml(text(p.lang, heading))}</strong></p><ul class="hints" aria-labelledby="hints-heading">${(['success', 'decline', 'later'] as const)
    .map((k) => `<li><code>${escapeHtml(list[k])}</code> ${escapeHtml(text(p.lang, k === 'success' ? 'succeeds' : k === 'decline' ? 'declined' : 'later'))}</li>`)
    .join('')}</ul>`;

function methodForm(p: PageInput, order: TestOrderRecord): string {
  const amount = formatAmount(order.amount, order.currency, p.lang);
  const payButton = `<button type="submit">${escapeHtml(text(p.lang, 'pay', { amount }))}</button>`;
  const bankButtons = `<button type="submit" name="outcome" value="success">${escapeHtml(text(p.lang, 'approve'))}</button><button type="submit" name="outcome" value="failure" class="secondary">${escapeHtml(text(p.lang, 'decline'))}</button>`;
  const body: Record<Method, () => string> = {
    card: () =>
      field(p, 'number', 'cardNumber', 'inputmode="numeric" autocomplete="cc-number" maxlength="23"') +
      `<div class="row">${field(p, 'expiry', 'expiry', 'inputmode="numeric" autocomplete="cc-exp" maxlength="7" placeholder="12/30"')}${field(p, 'cvv', 'cvv', 'inputmode="numeric" autocomplete="cc-csc" maxlength="4"')}</div>` +
      payButton +
      hints(p, 'testCards', TEST_CARDS),
    upi: () => field(p, 'vpa', 'upiId', 'autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="100"') + payButton + hints(p, 'testUpiIds', TEST_UPI),
    netbanking: () => choice(p, 'bank', 'bank', BANKS) + `<p>${escapeHtml(text(p.lang, 'bankHint'))}</p>` + bankButtons,
    wallet: () => choice(p, 'wallet', 'walletName', WALLETS) + `<p>${escapeHtml(text(p.lang, 'walletHint'))}</p>` + bankButtons,
  };
  const action = `/test-gateway/pay/${encodeURIComponent(order.orderRef)}?${langQuery(p.lang)}`;
  return `<form method="post" action="${escapeHtml(action)}" novalidate><input type="hidden" name="method" value="${p.method}">${body[p.method]()}</form>`;
}

function tabs(p: PageInput, order: TestOrderRecord): string {
  const items = METHODS.map((m) => {
    const href = `/test-gateway/pay/${encodeURIComponent(order.orderRef)}?method=${m}&${langQuery(p.lang)}`;
    return `<li><a href="${escapeHtml(href)}"${m === p.method ? ' aria-current="page"' : ''}>${escapeHtml(text(p.lang, m))}</a></li>`;
  }).join('');
  return `<nav aria-label="${escapeHtml(text(p.lang, 'methods'))}"><ul class="tabs">${items}</ul></nav>`;
}

function languages(p: PageInput): string {
  const base = p.order ? `/test-gateway/pay/${encodeURIComponent(p.order.orderRef)}?method=${p.method}&` : '?';
  const items = LANGS.map(
    (l) => `<li><a href="${escapeHtml(`${base}${langQuery(l)}`)}" lang="${l}" hreflang="${l}"${l === p.lang ? ' aria-current="true"' : ''}>${escapeHtml(strings[l].languageName)}</a></li>`,
  ).join('');
  return `<footer><nav aria-label="${escapeHtml(text(p.lang, 'language'))}"><ul class="langs">${items}</ul></nav></footer>`;
}

/** The order's state as the page shows it: a message and whether the user may pay. */
function standing(p: PageInput, order: TestOrderRecord): { alert: string; canPay: boolean } {
  const msg = (kind: 'bad' | 'good' | 'wait', key: StringKey, role: 'alert' | 'status') =>
    `<p class="alert ${kind}" role="${role}">${escapeHtml(text(p.lang, key))}</p>`;
  if (order.state === 'captured') return { alert: msg('good', 'paid', 'status'), canPay: false };
  if (order.approveAt !== undefined) return { alert: msg('wait', 'approving', 'status'), canPay: false };
  if (p.now >= order.expiresAt) return { alert: msg('bad', 'expired', 'alert'), canPay: false };
  if (order.state === 'failed') return { alert: msg('bad', 'lastDeclined', 'alert'), canPay: true };
  return { alert: '', canPay: true };
}

function shell(lang: Lang, title: string, body: string, withScript: boolean): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(
    title,
  )}</title><style>${STYLE}</style></head><body><main>${body}</main>${withScript ? `<script src="${COUNTDOWN_PATH}" defer></script>` : ''}</body></html>`;
}

export function renderPayPage(p: PageInput): string {
  const banner = `<p class="banner">${escapeHtml(text(p.lang, 'banner'))}</p>`;
  const title = text(p.lang, 'title', { merchant: p.merchant });
  const order = p.order;
  if (!order) return shell(p.lang, text(p.lang, 'notFound'), `${banner}<h1>${escapeHtml(text(p.lang, 'notFound'))}</h1>${languages(p)}`, false);
  const { alert, canPay } = standing(p, order);
  const summary = `<section class="card"><dl>
<dt>${escapeHtml(text(p.lang, 'merchant'))}</dt><dd>${escapeHtml(p.merchant)}</dd>
<dt>${escapeHtml(text(p.lang, 'description'))}</dt><dd>${escapeHtml(order.description)}</dd>
<dt>${escapeHtml(text(p.lang, 'amount'))}</dt><dd class="amount">${escapeHtml(formatAmount(order.amount, order.currency, p.lang))}</dd>
${canPay ? `<dt>${escapeHtml(text(p.lang, 'timeLeft'))}</dt><dd>${timeLeft(p.lang, order.expiresAt - p.now)}</dd>` : ''}
</dl></section>`;
  const back = `<p><a href="${escapeHtml(returnLink(order))}">${escapeHtml(text(p.lang, canPay ? 'cancel' : 'back', { merchant: p.merchant }))}</a></p>`;
  const pay = canPay ? `${tabs(p, order)}<section class="card" aria-label="${escapeHtml(text(p.lang, p.method))}">${methodForm(p, order)}</section>` : '';
  return shell(p.lang, title, `${banner}<h1>${escapeHtml(title)}</h1>${summary}${alert}${pay}${back}${languages(p)}`, canPay);
}

/** Counts the time left down once a second; at zero the page reloads and shows the link expired. */
export const COUNTDOWN_JS = `(() => {
  const el = document.getElementById('time-left');
  if (!el) return;
  const end = Date.now() + Number(el.dataset.remainingMs);
  const format = el.dataset.format || '{m}:{s}';
  const tick = () => {
    const left = Math.max(0, Math.floor((end - Date.now()) / 1000));
    const m = Math.floor(left / 60), s = left % 60;
    el.textContent = format.replace('{m}', String(m)).replace('{s}', String(s));
    el.setAttribute('datetime', 'PT' + m + 'M' + s + 'S');
    if (left === 0) { clearInterval(timer); setTimeout(() => location.reload(), 1000); }
  };
  const timer = setInterval(tick, 1000);
})();
`;
