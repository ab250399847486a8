/**
 * One user's place in one show's waiting room: `queue:join` (again on every reconnect: the
 * server keeps the place), then live `queue:update`s, until `queue:admitted` hands over a
 * pass, kept in sessionStorage for the seat map to send.
 */
import type { ApiError } from '../../../protocol/errors.js';
import type { QueueAdmitted, QueueJoinResult, QueueWaiting } from '../../../protocol/schemas.js';
import { emit, getSocket, type AppSocket } from './socket.js';
import { firstAhead, queueProgress, savePass } from './waiting-room.js';

const storage = () => globalThis.sessionStorage as Storage | undefined;
/** A pass the seat map refused: ask again after this long (never in a tight loop). */
const RETRY_MS = 5000;

export class QueueState {
  readonly showId: string;
  waiting = $state<QueueWaiting | null>(null);
  /** 0..1 once the line has places (null in the pre-queue). */
  progress = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  admitted = $state(false);

  private off: (() => void)[] = [];
  private onAdmitted: () => Promise<boolean>;

  /** `onAdmitted`: the pass is stored; resolves true when the seat map opened with it. */
  constructor(showId: string, onAdmitted: () => Promise<boolean>, socket: AppSocket = getSocket()) {
    this.showId = showId;
    this.onAdmitted = onAdmitted;
    const onUpdate = (m: QueueWaiting) => m.showId === showId && this.update(m);
    const onPass = (m: QueueAdmitted) => m.showId === showId && this.admit(m);
    const onConnect = () => void this.join();
    socket.on('queue:update', onUpdate);
    socket.on('queue:admitted', onPass);
    socket.on('connect', onConnect);
    this.off.push(
      () => socket.off('queue:update', onUpdate),
      () => socket.off('queue:admitted', onPass),
      () => socket.off('connect', onConnect),
    );
  }

  async join() {
    const r = await emit<QueueJoinResult>('queue:join', { showId: this.showId });
    if (this.admitted) return;
    if (!r.ok) {
      this.error = r.error;
      // A busy or briefly unreachable line: keep trying, the place (if any) is kept server-side.
      if ((r.error.code === 'UNAVAILABLE' || r.error.code === 'RATE_LIMITED') && !this.closed) setTimeout(() => !this.closed && void this.join(), RETRY_MS);
      return;
    }
    this.error = null;
    if (r.status === 'admitted') this.admit(r);
    else this.update(r);
  }

  private update(m: QueueWaiting) {
    if (this.admitted) return;
    this.waiting = m;
    this.progress = m.ahead === null ? null : queueProgress(firstAhead(storage(), this.showId, m.ahead), m.ahead);
  }

  private async admit(m: QueueAdmitted) {
    if (this.admitted) return;
    this.admitted = true;
    savePass(storage(), this.showId, m);
    if (await this.onAdmitted()) return;
    // The seat map refused the pass after all: take our place in line again rather than sit stuck.
    this.admitted = false;
    await new Promise((r) => setTimeout(r, RETRY_MS));
    if (!this.closed) await this.join();
  }

  private closed = false;
  destroy() {
    this.closed = true;
    for (const off of this.off) off();
  }
}
