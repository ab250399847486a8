/** The staff side of a show's waiting room over HTTP (GET/PUT/DELETE /api/staff/shows/:id/queue). */
import type { PutQueueRequest, QueueEnded, QueueResponse, QueueView } from '../../../protocol/schemas.js';
import { api } from './api.js';

const path = (showId: string) => `/api/staff/shows/${encodeURIComponent(showId)}/queue`;

export const readQueue = async (showId: string): Promise<QueueView | null> => (await api<QueueResponse>(path(showId), { auth: true })).queue;

export const putQueue = async (showId: string, settings: PutQueueRequest): Promise<QueueView | null> =>
  (await api<QueueResponse>(path(showId), { method: 'PUT', body: settings, auth: true })).queue;

/** Ends the queue: everyone still waiting is admitted. Returns how many. */
export const endQueue = async (showId: string): Promise<number> => (await api<QueueEnded>(path(showId), { method: 'DELETE', auth: true })).admitted;

/** A `datetime-local` value (the staff member's own zone) as ISO 8601, or undefined (= now) when empty. */
export function opensAtFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** ISO 8601 as a `datetime-local` value in the staff member's own zone. */
export function localInputValue(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
