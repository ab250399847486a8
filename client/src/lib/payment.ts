/** The payment calls of a booking, and its live news: pages call these, never the socket. */
import type { Booking, BookingChanged } from '../../../protocol/schemas.js';
import { api } from './api.js';
import { getSocket } from './socket.js';

const path = (id: string, rest = '') => `/api/bookings/${encodeURIComponent(id)}${rest}`;

export const fetchBooking = (id: string) => api<{ booking: Booking }>(path(id), { auth: true }).then((r) => r.booking);

/** (Re)opens the gateway's order: the booking comes back with `payment.payUrl`. */
export const reopenPayment = (id: string) => api<{ booking: Booking }>(path(id, '/pay'), { method: 'POST', auth: true }).then((r) => r.booking);

/** The user came back from the gateway: the server asks it and answers the booking as it now stands. */
export const checkPayment = (id: string) => api<{ booking: Booking }>(path(id, '/payment/check'), { method: 'POST', auth: true }).then((r) => r.booking);

/** Leaves for the gateway's page, in this tab (a seam for tests). */
export const payPage = { open: (url: string) => location.assign(url) };

/**
 * Sends the user to pay: straight to `payUrl` when it is there and fresh, else after
 * reopening the order. Answers the booking as the server last sent it (for the page to show
 * when no page was opened, e.g. it expired meanwhile).
 */
export async function goPay(b: Booking, opts: { reopen: boolean }): Promise<Booking> {
  const fresh = opts.reopen || !b.payment?.payUrl ? await reopenPayment(b.id) : b;
  const url = fresh.payment?.payUrl;
  if (fresh.status === 'pending_payment' && url) payPage.open(url);
  return fresh;
}

/**
 * Calls `onChange` with every newer state of the user's bookings (`id`: of that one only):
 * the server's `booking:changed`. News sent while the socket was down is lost, so each
 * (re)connect calls `resync` to read the booking again. Returns the unsubscribe.
 */
export function watchBookings(onChange: (b: Booking) => void, opts: { id?: string; resync?: () => void } = {}): () => void {
  const socket = getSocket();
  const onChanged = ({ booking }: BookingChanged) => {
    if (!opts.id || booking.id === opts.id) onChange(booking);
  };
  const onConnect = () => opts.resync?.();
  socket.on('booking:changed', onChanged);
  socket.on('connect', onConnect);
  return () => {
    socket.off('booking:changed', onChanged);
    socket.off('connect', onConnect);
  };
}
