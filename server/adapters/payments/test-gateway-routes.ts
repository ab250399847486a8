/**
 * The test gateway's HTTP side, mounted only while it is the configured gateway: its hosted
 * pay page (`/test-gateway/pay/:orderRef`) and the drive routes tests and load tests use to
 * pay like a customer would (`/api/test-gateway/...`). With any other gateway none of this
 * exists, so those paths answer 404.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { apiError, Id, TestGatewayDrive, TestGatewayDriveLate, TestGatewayRefundFail } from '../../../protocol/index.js';
import { isTestGateway, publicOrder, type TestGateway } from './test-gateway.js';
import { readSubmission } from './test-gateway-form.js';
import { COUNTDOWN_JS, COUNTDOWN_PATH, LANGS, METHODS, renderPayPage, returnLink, type Lang, type Method, type PageInput } from './test-gateway-page.js';
import type { z } from 'zod';
import { AppError } from '../../domain/result.js';
import type { PaymentGateway } from '../../ports.js';
import { sendError } from '../../transport/http-edge.js';
import { parse } from '../../transport/validate.js';

type Handler = (req: Request, res: Response) => Promise<unknown>;
const route = (h: Handler) => (req: Request, res: Response, next: NextFunction) => h(req, res).catch(next);

/** `?lang=` if it is one of ours, else the best of Accept-Language, else English. */
export function pageLanguage(req: Request): Lang {
  const asked = req.query.lang;
  if (typeof asked === 'string' && (LANGS as readonly string[]).includes(asked)) return asked as Lang;
  return (req.acceptsLanguages(...LANGS) || 'en') as Lang;
}

const pageMethod = (req: Request): Method => {
  const m = req.query.method;
  return typeof m === 'string' && (METHODS as readonly string[]).includes(m) ? (m as Method) : 'card';
};

/** The page's own policy: its inline style, our script, and forms that post here and go back to the merchant. */
function sendPage(res: Response, status: number, html: string, returnUrl?: string) {
  const back = returnUrl ? ` ${new URL(returnUrl).origin}` : '';
  res
    .status(status)
    .type('html')
    .set('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; form-action 'self'${back}; base-uri 'none'; frame-ancestors 'none'`)
    .set('cache-control', 'no-store')
    // Not no-referrer: with it a browser sends `Origin: null` on the form's POST, which our
    // origin check refuses as cross-site. strict-origin names our origin and never the path.
    .set('referrer-policy', 'strict-origin')
    .send(html);
}

export function testGatewayRoutes(gateway: TestGateway, opts: { now?: () => number } = {}): Router {
  const router = express.Router();
  const now = opts.now ?? Date.now;
  const page = (req: Request, p: Partial<PageInput> & Pick<PageInput, 'order'>): PageInput => ({
    lang: pageLanguage(req),
    merchant: gateway.merchantName,
    now: now(),
    method: pageMethod(req),
    ...p,
  });
  const ref = (req: Request, res: Response): string | null => {
    const r = parse(Id, req.params.ref);
    if (!r.ok) sendError(res, r.error);
    return r.ok ? r.value : null;
  };
  const order = async (req: Request, res: Response) => {
    const r = ref(req, res);
    const found = r && (await gateway.findOrder(r));
    if (r && !found) sendError(res, apiError('NOT_FOUND', { message: 'No such test gateway order.' }));
    return found || null;
  };

  router.get(COUNTDOWN_PATH, (_req, res) => {
    res.type('text/javascript').set('cache-control', 'public, max-age=3600').send(COUNTDOWN_JS);
  });

  router.get(
    '/test-gateway/pay/:ref',
    route(async (req, res) => {
      const found = /^[A-Za-z0-9_-]{1,64}$/.test(String(req.params.ref)) ? await gateway.order(String(req.params.ref)) : null;
      sendPage(res, found ? 200 : 404, renderPayPage(page(req, { order: found })), found?.returnUrl);
    }),
  );

  router.post(
    '/test-gateway/pay/:ref',
    express.urlencoded({ extended: false, limit: '4kb' }),
    route(async (req, res) => {
      const found = /^[A-Za-z0-9_-]{1,64}$/.test(String(req.params.ref)) ? await gateway.order(String(req.params.ref)) : null;
      if (!found) return sendPage(res, 404, renderPayPage(page(req, { order: null })));
      const payable = found.state !== 'captured' && found.approveAt === undefined && now() < found.expiresAt;
      // Paid, approving or expired meanwhile: the page itself says which.
      if (!payable) return res.redirect(303, `/test-gateway/pay/${found.orderRef}?lang=${pageLanguage(req)}`);
      const submitted = readSubmission((req.body ?? {}) as Record<string, unknown>, now());
      if (!submitted.ok) return sendPage(res, 400, renderPayPage(page(req, { order: found, method: submitted.method, form: submitted.form })), found.returnUrl);
      const r = submitted.result;
      if (r.outcome === 'success') await gateway.succeed(found.orderRef);
      else if (r.outcome === 'decline') await gateway.fail(found.orderRef, { reason: r.reason });
      else await gateway.approveLater(found.orderRef);
      res.redirect(303, returnLink(found));
    }),
  );

  router.get(
    '/api/test-gateway/payments/:ref',
    route(async (req, res) => {
      const found = await order(req, res);
      if (found) res.json({ order: publicOrder(found) });
    }),
  );

  function drive<S extends z.ZodType>(path: string, schema: S, act: (orderRef: string, body: z.infer<S>) => Promise<unknown>) {
    router.post(
      `/api/test-gateway/payments/:ref/${path}`,
      express.json({ limit: '4kb' }),
      route(async (req, res) => {
        const found = await order(req, res);
        if (!found) return;
        const b = parse(schema, req.body ?? {});
        if (!b.ok) return sendError(res, b.error);
        res.json(await act(found.orderRef, b.value));
      }),
    );
  }
  drive('succeed', TestGatewayDrive, (orderRef, b) => gateway.succeed(orderRef, b));
  drive('fail', TestGatewayDrive, (orderRef, b) => gateway.fail(orderRef, b));
  drive('succeed-late', TestGatewayDriveLate, (orderRef, b) => gateway.succeedLate(orderRef, b.delayMs));
  drive('approve-later', TestGatewayDriveLate, (orderRef, b) => gateway.approveLater(orderRef, b.delayMs));

  router.post(
    '/api/test-gateway/refunds/fail-next',
    express.json({ limit: '4kb' }),
    route(async (req, res) => {
      const b = parse(TestGatewayRefundFail, req.body ?? {});
      if (!b.ok) return sendError(res, b.error);
      await gateway.failNextRefunds(b.value.count, b.value.mode);
      res.json({ armed: b.value.count, mode: b.value.mode });
    }),
  );

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof AppError) return sendError(res, err.error);
    next(err);
  });
  return router;
}

/**
 * Mounts the test gateway's routes on `app` when `gateway` is the test gateway (true), and
 * nothing otherwise (false: the paths stay unknown, 404). Mount before the `/api` 404.
 */
export function mountTestGatewayRoutes(app: Router, gateway: PaymentGateway | null, opts?: { now?: () => number }): boolean {
  if (!isTestGateway(gateway)) return false;
  app.use(testGatewayRoutes(gateway, opts));
  return true;
}
