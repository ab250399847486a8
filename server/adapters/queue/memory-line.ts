/** The waiting room's line in one process (the embedded default). Same contract as the Redis line. */
import type { QueueAdmission, QueueLine, QueueStanding, StoredQueue } from '../../ports.js';

const RECENT = 200;

interface Line {
  /** Arrived before opening: shuffled at opening. */
  pre: string[];
  /** Arrived after `opensAt` but before the opening ran: behind the pre-queue, in arrival order. */
  late: string[];
  opened: boolean;
  /** Index = ticket. */
  order: string[];
  tickets: Map<string, number>;
  served: number;
  joinedAt: Map<string, number>;
  passes: Map<string, number>;
  minute: number;
  /** Slots of the counting minute used (or passed while nobody waited). */
  admittedInMinute: number;
  recentWaits: number[];
  recentAdmissions: number[];
}

const fresh = (): Line => ({
  pre: [], late: [], opened: false, order: [], tickets: new Map(), served: 0, joinedAt: new Map(), passes: new Map(),
  minute: -1, admittedInMinute: 0, recentWaits: [], recentAdmissions: [],
});

export function createMemoryLine(): QueueLine {
  const lines = new Map<string, Line>();
  const settings = new Map<string, StoredQueue>();
  const lineOf = (showId: string) => lines.get(showId) ?? lines.set(showId, fresh()).get(showId)!;

  function standingIn(l: Line, userId: string, now: number): QueueStanding | null {
    const pass = l.passes.get(userId);
    if (pass !== undefined && pass > now) return { status: 'admitted', passExpiresAt: pass };
    const ticket = l.tickets.get(userId);
    if (ticket !== undefined && ticket >= l.served) return { status: 'waiting', ticket, position: ticket - l.served + 1, ahead: ticket - l.served };
    if (l.pre.includes(userId) || l.late.includes(userId)) return { status: 'waiting', ticket: null, position: null, ahead: null };
    return null;
  }
  const enter = (l: Line, userId: string) => {
    l.tickets.set(userId, l.order.length);
    l.order.push(userId);
  };
  const open = (l: Line, shuffle: (ids: string[]) => string[]) => {
    for (const u of [...shuffle(l.pre), ...l.late]) enter(l, u);
    [l.pre, l.late, l.opened] = [[], [], true];
  };

  return {
    async join(showId, userId, now, opensAt) {
      const l = lineOf(showId);
      const known = standingIn(l, userId, now);
      if (known) return known;
      l.passes.delete(userId);
      l.joinedAt.set(userId, now);
      // Nobody to shuffle: the line opens with the first arrival after opensAt.
      if (!l.opened && now >= opensAt && l.pre.length === 0) open(l, (ids) => ids);
      if (l.opened) enter(l, userId);
      else (now < opensAt ? l.pre : l.late).push(userId);
      return standingIn(l, userId, now)!;
    },
    async standing(showId, userId, now) {
      return standingIn(lineOf(showId), userId, now);
    },
    async admit(showId, a) {
      const l = lineOf(showId);
      if (!l.opened && (a.now >= a.opensAt || a.all)) open(l, a.shuffle);
      if (!l.opened) return [];
      if (l.minute !== a.minute) [l.minute, l.admittedInMinute] = [a.minute, 0];
      for (const [u, exp] of l.passes) if (exp <= a.now) l.passes.delete(u);
      const waiting = l.order.length - l.served;
      let due = a.all ? waiting : a.slotsOpened - l.admittedInMinute;
      if (!a.all && a.maxActive !== null) due = Math.min(due, a.maxActive - l.passes.size);
      const taken = l.order.slice(l.served, l.served + Math.max(0, due));
      // The line ran dry: the slots opened meanwhile are gone, not saved up for a burst later.
      const dry = !a.all && taken.length < due;
      l.served += taken.length;
      const admitted: QueueAdmission[] = taken.map((userId) => {
        const waitedMs = a.now - (l.joinedAt.get(userId) ?? a.now);
        l.joinedAt.delete(userId);
        l.passes.set(userId, a.now + a.passMs);
        return { userId, passExpiresAt: a.now + a.passMs, waitedMs };
      });
      l.admittedInMinute = dry ? a.slotsOpened : l.admittedInMinute + admitted.length;
      l.recentWaits = [...l.recentWaits, ...admitted.map((x) => x.waitedMs)].slice(-RECENT);
      l.recentAdmissions = [...l.recentAdmissions.filter((t) => t > a.now - 60_000), ...admitted.map(() => a.now)];
      return admitted;
    },
    async stats(showId, now) {
      const l = lineOf(showId);
      return {
        waiting: l.pre.length + l.late.length + l.order.length - l.served,
        admitted: l.served,
        activePasses: [...l.passes.values()].filter((exp) => exp > now).length,
        recentWaitsMs: l.recentWaits.slice(),
        admittedPerMinute: l.recentAdmissions.filter((t) => t > now - 60_000).length,
      };
    },
    async served(showIds) {
      return new Map(showIds.map((id) => [id, lines.get(id)?.served ?? 0]));
    },
    async clear(showId) {
      lines.delete(showId);
      settings.delete(showId);
    },
    async configure(showId, s, ifOff) {
      if (ifOff && settings.has(showId)) return false;
      settings.set(showId, { ...s });
      return true;
    },
    async configured() {
      return new Map([...settings].map(([id, s]) => [id, { ...s }]));
    },
  };
}
