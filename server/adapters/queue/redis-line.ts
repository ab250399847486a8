/**
 * The waiting room's line in Redis, shared by every process. Per show (one hash slot):
 * `pre` (by arrival) until the opening, `late` (arrived after `opensAt` before the opening
 * ran), `line` (scored by ticket: the shuffled pre-queue 0..n-1, then arrivals in order),
 * `next` ticket, `served` (admitted so far: admission goes strictly by ticket), `passes`
 * (by expiry), the counting minute's admissions, recent waits. Each step is one Lua
 * script, so joins and admissions from several processes never give a place or a pass
 * twice, and a minute never admits more than its slots.
 */
import type { QueueAdmission, QueueLine, QueueStanding, StoredQueue } from '../../ports.js';

export interface LineClient {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  hSetNX(key: string, field: string, value: string): Promise<unknown>;
  hDel(key: string, field: string): Promise<unknown>;
  hGetAll(key: string): Promise<Record<string, string>>;
}

/** Which shows have a queue on, and how (small: one field per show with a queue). */
const SETTINGS_KEY = 'moviemagic:queues';

const PARTS = ['pre', 'late', 'line', 'next', 'served', 'seq', 'opened', 'joined', 'passes', 'minute', 'waits', 'recent'] as const;
type Part = (typeof PARTS)[number];
const keysOf = (showId: string) => PARTS.map((p) => `moviemagic:{queue:${showId}}:${p}`);
/** Lua sees the keys as KEYS[1..] in PARTS order. */
const K = Object.fromEntries(PARTS.map((p, i) => [p, `KEYS[${i + 1}]`])) as Record<Part, string>;

const STANDING = `
local function standing(u, now)
  local pass = redis.call('ZSCORE', ${K.passes}, u)
  if pass and tonumber(pass) > now then return {'admitted', pass} end
  local ticket = redis.call('ZSCORE', ${K.line}, u)
  if ticket then return {'waiting', ticket, redis.call('GET', ${K.served}) or '0'} end
  if redis.call('ZSCORE', ${K.pre}, u) or redis.call('ZSCORE', ${K.late}, u) then return {'pre'} end
  return false
end
local function enter(u)
  redis.call('ZADD', ${K.line}, redis.call('INCR', ${K.next}) - 1, u)
end`;
/** ARGV: user, now, opensAt. */
const JOIN = `${STANDING}
local u, now, opensAt = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local known = standing(u, now)
if known then return known end
redis.call('ZREM', ${K.passes}, u)
redis.call('HSET', ${K.joined}, u, now)
-- Nobody to shuffle: the line opens with the first arrival after opensAt.
if redis.call('EXISTS', ${K.opened}) == 0 and now >= opensAt and redis.call('ZCARD', ${K.pre}) == 0 then
  for _, w in ipairs(redis.call('ZRANGE', ${K.late}, 0, -1)) do enter(w) end
  redis.call('DEL', ${K.late})
  redis.call('SET', ${K.opened}, 1)
end
if redis.call('EXISTS', ${K.opened}) == 1 then enter(u)
else
  local n = redis.call('INCR', ${K.seq})
  if now < opensAt then redis.call('ZADD', ${K.pre}, n, u) else redis.call('ZADD', ${K.late}, n, u) end
end
return standing(u, now)`;
const GET_STANDING = `${STANDING}
return standing(ARGV[1], tonumber(ARGV[2]))`;
const PRE = `if redis.call('EXISTS', ${K.opened}) == 1 then return false end
return redis.call('ZRANGE', ${K.pre}, 0, -1)`;
/** ARGV: the pre-queue in its shuffled order. Whoever joined it meanwhile, then the late, follow in arrival order. */
const OPEN = `${STANDING}
if redis.call('EXISTS', ${K.opened}) == 1 then return 0 end
for i = 1, #ARGV do
  if redis.call('ZREM', ${K.pre}, ARGV[i]) == 1 then enter(ARGV[i]) end
end
for _, u in ipairs(redis.call('ZRANGE', ${K.pre}, 0, -1)) do enter(u) end
for _, u in ipairs(redis.call('ZRANGE', ${K.late}, 0, -1)) do enter(u) end
redis.call('DEL', ${K.pre}, ${K.late})
redis.call('SET', ${K.opened}, 1)
return 1`;
/** ARGV: now, minute, slotsOpened, maxActive (-1: none), passMs, all (1/0). Returns user, waited pairs. */
const ADMIT = `if redis.call('EXISTS', ${K.opened}) == 0 then return {} end
local now, minute, slots, maxActive, passMs, all = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1'
redis.call('ZREMRANGEBYSCORE', ${K.passes}, '-inf', now)
local count = 0
if tonumber(redis.call('HGET', ${K.minute}, 'm') or '-1') == minute then count = tonumber(redis.call('HGET', ${K.minute}, 'n') or '0') end
local due
if all then due = redis.call('ZCARD', ${K.line}) else
  due = slots - count
  if maxActive >= 0 then due = math.min(due, maxActive - redis.call('ZCARD', ${K.passes})) end
end
if due <= 0 then return {} end
local popped = redis.call('ZPOPMIN', ${K.line}, due)
-- The line ran dry: the slots opened meanwhile are gone, not saved up for a burst later.
local used = count + #popped / 2
if not all and #popped / 2 < due then used = slots end
local out = {}
for i = 1, #popped, 2 do
  local u = popped[i]
  local waited = now - tonumber(redis.call('HGET', ${K.joined}, u) or now)
  redis.call('HDEL', ${K.joined}, u)
  redis.call('ZADD', ${K.passes}, now + passMs, u)
  redis.call('LPUSH', ${K.waits}, waited)
  redis.call('LPUSH', ${K.recent}, now)
  out[#out + 1] = u
  out[#out + 1] = waited
end
redis.call('LTRIM', ${K.waits}, 0, 199)
redis.call('LTRIM', ${K.recent}, 0, 9999)
redis.call('HSET', ${K.minute}, 'm', minute, 'n', used)
redis.call('INCRBY', ${K.served}, #out / 2)
return out`;
/** ARGV: now. */
const STATS = `local now = tonumber(ARGV[1])
return {redis.call('ZCARD', ${K.pre}) + redis.call('ZCARD', ${K.late}) + redis.call('ZCARD', ${K.line}), tonumber(redis.call('GET', ${K.served}) or '0'),
  redis.call('ZCOUNT', ${K.passes}, '(' .. now, '+inf'), redis.call('LRANGE', ${K.waits}, 0, -1), redis.call('LRANGE', ${K.recent}, 0, -1)}`;

function toStanding(reply: unknown): QueueStanding | null {
  if (!Array.isArray(reply)) return null;
  if (reply[0] === 'admitted') return { status: 'admitted', passExpiresAt: Number(reply[1]) };
  if (reply.length === 1) return { status: 'waiting', ticket: null, position: null, ahead: null };
  const ticket = Number(reply[1]);
  const ahead = ticket - Number(reply[2]);
  return { status: 'waiting', ticket, position: ahead + 1, ahead };
}

export function createRedisLine(client: LineClient): QueueLine {
  const run = (script: string, showId: string, args: (string | number)[]) =>
    client.eval(script, { keys: keysOf(showId), arguments: args.map(String) });

  return {
    async join(showId, userId, now, opensAt) {
      return toStanding(await run(JOIN, showId, [userId, now, opensAt]))!;
    },
    async standing(showId, userId, now) {
      return toStanding(await run(GET_STANDING, showId, [userId, now]));
    },
    async admit(showId, a) {
      if (a.now >= a.opensAt || a.all) {
        const pre = (await run(PRE, showId, [])) as string[] | null;
        if (pre) await run(OPEN, showId, a.shuffle(pre));
      }
      const reply = (await run(ADMIT, showId, [a.now, a.minute, a.slotsOpened, a.maxActive ?? -1, a.passMs, a.all ? 1 : 0])) as (string | number)[];
      const out: QueueAdmission[] = [];
      for (let i = 0; i < reply.length; i += 2) out.push({ userId: String(reply[i]), passExpiresAt: a.now + a.passMs, waitedMs: Number(reply[i + 1]) });
      return out;
    },
    async stats(showId, now) {
      const [waiting, admitted, activePasses, waits, recent] = (await run(STATS, showId, [now])) as [number, number, number, string[], string[]];
      return {
        waiting: Number(waiting),
        admitted: Number(admitted),
        activePasses: Number(activePasses),
        recentWaitsMs: waits.map(Number).reverse(),
        admittedPerMinute: recent.map(Number).filter((t) => t > now - 60_000).length,
      };
    },
    async served(showIds) {
      // One hash slot per show: a GET each (a cluster cannot MGET across slots).
      const counts = await Promise.all(showIds.map((id) => run(`return redis.call('GET', ${K.served}) or '0'`, id, [])));
      return new Map(showIds.map((id, i) => [id, Number(counts[i])]));
    },
    async clear(showId) {
      await run(`for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end return 1`, showId, []);
      await client.hDel(SETTINGS_KEY, showId);
    },
    async configure(showId, s, ifOff) {
      const json = JSON.stringify(s);
      if (!ifOff) return (await client.hSet(SETTINGS_KEY, showId, json), true);
      return Boolean(await client.hSetNX(SETTINGS_KEY, showId, json));
    },
    async configured() {
      const all = await client.hGetAll(SETTINGS_KEY);
      return new Map(Object.entries(all).map(([id, json]) => [id, JSON.parse(json) as StoredQueue]));
    },
  };
}
