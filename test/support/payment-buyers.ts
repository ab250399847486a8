/** What payment tests share: an admin, a show days ahead, a buyer who hears booking:changed, hold + confirm. */
import { Booking, type Ack, type BookingChanged } from '../../protocol/index.js';
import { createShow } from './fixtures.js';
import { ack, type ClientSocket, type Harness } from './harness.js';

export async function registerAdmin(h: Harness): Promise<string> {
  const r = await h.app.services.auth.register({ name: 'Admin', email: `admin-${Date.now()}@test.example`, password: 'correct horse battery' }, 'admin', []);
  if (!r.ok) throw new Error('admin');
  return r.value.token;
}

export const showDaysAhead = (h: Harness) => createShow(h.app.stores.catalog, { now: h.clock.now(), startsInMs: 3 * 24 * 3600_000 });

export async function buyer(h: Harness) {
  const u = await h.register('payer');
  const socket = await h.connect(u.token);
  const changes: BookingChanged[] = [];
  socket.on('booking:changed', (m) => changes.push(m));
  return { ...u, socket, changes };
}

let keys = 0;
/** Holds the seats and confirms them; the booking as the ack gave it. */
export async function holdAndConfirm(socket: ClientSocket, showId: string, seatIds: string[]): Promise<Booking> {
  const held = await ack<Ack>(socket, 'seat:hold', { showId, seatIds });
  if (!held.ok) throw new Error(`hold: ${JSON.stringify(held)}`);
  const r = await ack<Ack<{ booking: Booking }>>(socket, 'booking:confirm', { showId, idempotencyKey: `pay-key-${++keys}-${Date.now()}` });
  if (!r.ok) throw new Error(`confirm: ${JSON.stringify(r)}`);
  return Booking.parse(r.booking);
}
