/** The waiting room's line in one process (the embedded default). Same contract as the Redis line. */
import type { QueueAdmission, QueueLine, QueueStanding } from '../../ports.js';

const RECENT = 200;

interface Line {
  pre: string[];
  opened: boolean;
  /** Waiting users, next first. */
  line: string[];
  joinedAt: Map<string, number>;
  passes: Map<string, number>;
  minute: number;
  admittedInMinute: number;
  admittedTotal: number;
  recentWaits: number[];
  recentAdmissions: number[];
}

const fresh = (): Line => ({ pre: [], opened: false, line: [], joinedAt: new Map(), passes: new Map(), minute: -1, admittedInMinute: 0, admittedTotal: 0, recentWaits: [], recentAdmissions: [] });

export function createMemoryLine(): QueueLine {
  const lines = new Map<string, Line>();
  const lineOf = (showId: string) => lines.get(showId) ?? lines.set(showId, fresh()).get(showId)!;

  function standingIn(l: Line, userId: string, now: number): QueueStanding | null {
    const pass = l.passes.get(userId);
    if (pass !== undefined && pass > now) return { status: 'admitted', passExpiresAt: pass };
    const at = l.line.indexOf(userId);
    if (at >= 0) return { status: 'waiting', position: at + 1, ahead: at };
    if (l.pre.includes(userId)) return { status: 'waiting', position: null, ahead: null };
    return null;
  }

  const open = (l: Line, shuffle: (ids: string[]) => string[]) => {
    l.line = [...shuffle(l.pre), ...l.line];
    l.pre = [];
    l.opened = true;
  };

  return {
    async join(showId, userId, now, opensAt) {
      const l = lineOf(showId);
      const known = standingIn(l, userId, now);
      if (known) return known;
      l.passes.delete(userId);
      l.joinedAt.set(userId, now);
      if (!l.opened && now < opensAt) l.pre.push(userId);
      else l.line.push(userId);
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
      let due = a.all ? l.line.length : a.slotsOpened - l.admittedInMinute;
      if (!a.all && a.maxActive !== null) due = Math.min(due, a.maxActive - l.passes.size);
      const taken = l.line.splice(0, Math.max(0, due));
      const admitted: QueueAdmission[] = taken.map((userId) => {
        const waitedMs = a.now - (l.joinedAt.get(userId) ?? a.now);
        l.joinedAt.delete(userId);
        l.passes.set(userId, a.now + a.passMs);
        return { userId, passExpiresAt: a.now + a.passMs, waitedMs };
      });
      l.admittedInMinute += admitted.length;
      l.admittedTotal += admitted.length;
      l.recentWaits = [...l.recentWaits, ...admitted.map((x) => x.waitedMs)].slice(-RECENT);
      l.recentAdmissions = [...l.recentAdmissions.filter((t) => t > a.now - 60_000), ...admitted.map(() => a.now)];
      return admitted;
    },
    async stats(showId, now) {
      const l = lineOf(showId);
      const activePasses = [...l.passes.values()].filter((exp) => exp > now).length;
      return {
        waiting: l.pre.length + l.line.length,
        admitted: l.admittedTotal,
        activePasses,
        recentWaitsMs: l.recentWaits.slice(),
        admittedPerMinute: l.recentAdmissions.filter((t) => t > now - 60_000).length,
      };
    },
    async clear(showId) {
      lines.delete(showId);
    },
  };
}
