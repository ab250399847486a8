/**
 * A child process of bench/queue.ts: holds its share of the waiting users' sockets, so the
 * bench, which times the admitted users' holds, does not share an event loop with thousands
 * of sockets taking position pushes (and each process has its own open-files limit). Each socket connects, and on `join` takes its
 * place with `queue:join`; an admitted user's pass is posted to the main thread and the
 * socket closes (the user goes on to the seat map, there).
 */
import { io, type Socket } from 'socket.io-client';

export interface WaitersData {
  url: string;
  showId: string;
  /** Access tokens of this worker's users, and the index of the first in the bench's list. */
  tokens: string[];
  first: number;
}
export type ToWaiters = { type: 'start'; data: WaitersData } | { type: 'join' } | { type: 'stop' };
export type FromWaiters =
  | { type: 'connected'; n: number; failed: number; firstError?: string }
  | { type: 'joined'; n: number; failed: number; firstError?: string }
  | { type: 'admitted'; index: number; pass: string; at: number }
  | { type: 'updates'; n: number }
  | { type: 'stopped' };

let url = '';
let showId = '';
let tokens: string[] = [];
let first = 0;
const post = (m: FromWaiters) => process.send!(m);
const sockets: Socket[] = [];
let updates = 0;

async function connectAll() {
  let failed = 0;
  let firstError: string | undefined;
  for (let i = 0; i < tokens.length; i += 200) {
    await Promise.all(
      tokens.slice(i, i + 200).map(async (token, k) => {
        const index = first + i + k;
        const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
        sockets[i + k] = s;
        s.on('queue:update', () => updates++);
        s.on('queue:admitted', (m: { showId: string; pass: string }) => {
          if (m.showId !== showId) return;
          post({ type: 'admitted', index, pass: m.pass, at: Date.now() });
          s.disconnect();
        });
        try {
          await new Promise<void>((resolve, reject) => {
            s.once('connect', () => resolve());
            s.once('connect_error', reject);
          });
        } catch (err) {
          failed++;
          firstError ??= (err as Error).message;
        }
      }),
    );
  }
  post({ type: 'connected', n: tokens.length - failed, failed, ...(firstError ? { firstError } : {}) });
}

async function joinAll() {
  let failed = 0;
  let firstError: string | undefined;
  for (let i = 0; i < sockets.length; i += 500) {
    await Promise.all(
      sockets.slice(i, i + 500).map(async (s, k) => {
        if (!s.connected) return void failed++;
        const r = (await s.timeout(60_000).emitWithAck('queue:join', { showId }).catch(() => null)) as
          | { ok: true; status: 'waiting' | 'admitted'; pass?: string }
          | { ok: false; error: { code: string } }
          | null;
        if (!r || !r.ok) {
          failed++;
          firstError ??= r ? r.error.code : 'no answer';
        } else if (r.status === 'admitted') {
          post({ type: 'admitted', index: first + i + k, pass: r.pass!, at: Date.now() });
          s.disconnect();
        }
      }),
    );
  }
  post({ type: 'joined', n: sockets.length - failed, failed, ...(firstError ? { firstError } : {}) });
}

setInterval(() => {
  if (updates) post({ type: 'updates', n: updates });
  updates = 0;
}, 1000).unref();

process.on('message', (m: ToWaiters) => {
  if (m.type === 'start') {
    ({ url, showId, tokens, first } = m.data);
    void connectAll();
  }
  if (m.type === 'join') void joinAll();
  if (m.type === 'stop') {
    for (const s of sockets) s.disconnect();
    post({ type: 'stopped' });
    setTimeout(() => process.exit(0), 500);
  }
});
process.on('disconnect', () => process.exit(0));
