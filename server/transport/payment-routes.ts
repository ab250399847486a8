/**
 * Payment routes. The webhook needs its body exactly as the gateway signed it, so it is
 * mounted before the JSON parser with a raw body of its own.
 */
import express, { type Express, type Request, type Response } from 'express';
import { apiError } from '../../protocol/index.js';
import type { BookingRecord } from '../ports.js';
import { publicBooking } from '../services/seats/index.js';
import type { Payments } from '../services/payments/index.js';
import type { Principal } from '../services/auth.js';
import type { Route } from './staff-routes.js';
import { sendError } from './http-edge.js';

/** `POST /api/payments/webhook/:gateway`: 404 for a gateway that is not the configured one; 400 for a bad signature. */
export function webhookRoute(app: Express, deps: { payments: Payments | null; route: Route }) {
  app.post(
    '/api/payments/webhook/:gateway',
    express.raw({ type: () => true, limit: '64kb' }),
    deps.route(async (req, res) => {
      const payments = deps.payments;
      if (!payments || req.params.gateway !== payments.gatewayName) return sendError(res, apiError('NOT_FOUND', { message: 'No such payment gateway here.' }));
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const r = await payments.receiveWebhook(raw, req.headers);
      if (!r.ok) return sendError(res, r.error);
      res.json(r.value);
    }),
  );
}

export function paymentRoutes(
  app: Express,
  deps: {
    payments: Payments | null;
    route: Route;
    requireUser: (req: Request, res: Response) => Principal | null;
    bookingOf: (req: Request, res: Response) => Promise<BookingRecord | null>;
    ticketCode: (bookingId: string) => string;
  },
) {
  const { payments, route } = deps;
  const answer = (res: Response, b: BookingRecord) => res.json({ booking: publicBooking(b, deps.ticketCode) });
  app.post(
    '/api/bookings/:id/pay',
    route(async (req, res) => {
      const booking = await deps.bookingOf(req, res);
      if (booking) answer(res, payments ? await payments.openOrder(booking) : booking);
    }),
  );
  app.post(
    '/api/bookings/:id/payment/check',
    route(async (req, res) => {
      const booking = await deps.bookingOf(req, res);
      if (booking) answer(res, payments ? await payments.checkPayment(booking) : booking);
    }),
  );
  app.get(
    '/api/staff/payments/problems',
    route(async (req, res) => {
      const p = deps.requireUser(req, res);
      if (!p) return;
      if (p.role !== 'admin') return sendError(res, apiError('FORBIDDEN'));
      res.json(payments ? await payments.problems() : { failedRefunds: [], flagged: [] });
    }),
  );
}
