/**
 * A child process of a queued rush (`--queue` with `--waiter-processes`): holds its share of the
 * waiting users' sockets. Each arrives on the ramp, takes its place (waitForTurn), renews its
 * session when the server ends its token, and once admitted hands its pass to the rush and
 * closes the socket: the user goes on to the seat map in the rush's own process. One process
 * cannot hold 20k sockets (its open-files limit, and one event loop for every push).
 */
import { io, type Socket } from 'socket.io-client';
import { waitForTurn, type QueueRecorder } from './queue.js';
import { apiClient, signedIn } from './api.js';

export interface WaiterUser {
  index: number;
  token: string;
  cookie: string;
  /** ms after `startedAt` at which the user arrives. */
  delayMs: number;
}
export type ToWaiters = { type: 'start'; url: string; showId: string; startedAt: number; users: WaiterUser[] } | { type: 'stop' };
export type FromWaiters =
  | { type: 'joined'; index: number; at: number }
  | { type: 'admitted'; index: number; pass: string; at: number }
  /** The session was renewed here: the rush's copy of it is stale (its refresh cookie was traded). */
  | { type: 'session'; index: number; token: string; cookie: string }
  | { type: 'updates'; n: number }
  | { type: 'error'; index: number; message: string }
  | { type: 'ready' }
  | { type: 'done' };

const post = (m: FromWaiters) => process.send!(m);
let stop: () => void = () => undefined;
let over = false;
const stopped = new Promise<void>((r) => (stop = r)).then(() => void (over = true));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function refresh(url: string, u: WaiterUser): Promise<void> {
  const next = await signedIn('POST /api/auth/refresh', apiClient(url).POST('/api/auth/refresh', { headers: { cookie: u.cookie } }));
  u.token = next.token;
  u.cookie = next.cookie ?? u.cookie;
  post({ type: 'session', index: u.index, token: u.token, cookie: u.cookie });
}

async function wait(url: string, showId: string, startedAt: number, u: WaiterUser, recorder: QueueRecorder) {
  await Promise.race([sleep(startedAt + u.delayMs - Date.now()), stopped]);
  if (over) return;
  const socket: Socket = io(url, { auth: (cb) => cb({ token: u.token }), transports: ['websocket'], forceNew: true, reconnection: true, timeout: 60_000 });
  let renewing: Promise<void> | null = null;
  socket.on('session:ended', () => {
    renewing ??= refresh(url, u)
      .then(() => socket.timeout(30_000).emitWithAck('session:renew', { token: u.token }))
      .then(() => undefined)
      .catch((err: Error) => void post({ type: 'error', index: u.index, message: `session renewal: ${err.message}` }))
      .finally(() => (renewing = null));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let refreshed = 0;
      socket.once('connect', () => resolve());
      socket.on('connect_error', (err) => {
        if (err.message !== 'UNAUTHENTICATED') return;
        if (++refreshed > 3) return reject(err);
        refresh(url, u).then(() => socket.connect(), reject);
      });
    });
    const pass = await waitForTurn(socket, showId, u.index, recorder, stopped);
    if (pass) post({ type: 'admitted', index: u.index, pass, at: Date.now() });
  } catch (err) {
    post({ type: 'error', index: u.index, message: (err as Error).message });
  } finally {
    await renewing;
    socket.disconnect();
  }
}

process.on('message', (m: ToWaiters) => {
  if (m.type === 'stop') return stop();
  let updates = 0;
  const recorder: QueueRecorder = {
    joined: (index, at) => post({ type: 'joined', index, at }),
    admitted: () => undefined, // posted with the pass, below
    get updates() {
      return updates;
    },
    set updates(n) {
      updates = n;
    },
  };
  const flush = setInterval(() => {
    if (updates) post({ type: 'updates', n: updates });
    updates = 0;
  }, 1000);
  void Promise.all(m.users.map((u) => wait(m.url, m.showId, m.startedAt, u, recorder))).then(() => {
    clearInterval(flush);
    if (updates) post({ type: 'updates', n: updates });
    post({ type: 'done' });
    setTimeout(() => process.exit(0), 200);
  });
});
process.on('disconnect', () => process.exit(0));
post({ type: 'ready' });
