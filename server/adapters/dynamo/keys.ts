/** Key layout (docs/data-model.md). Seat items spread over SEAT_SHARDS partition keys per show. */
export const SEAT_SHARDS = 8;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const seatKey = (showId: string, seatId: string) => ({
  pk: `SHOW#${showId}#${fnv1a(seatId) % SEAT_SHARDS}`,
  sk: `SEAT#${seatId}`,
});
export const seatShardKeys = (showId: string) =>
  Array.from({ length: SEAT_SHARDS }, (_, i) => `SHOW#${showId}#${i}`);

export const entityKey = (kind: string, id: string) => ({ pk: `${kind}#${id}`, sk: kind });

/** TTL attribute: epoch seconds, a day after expiry, so the sweeper sees and broadcasts first. */
export const ttlAfter = (expiresAtMs: number) => Math.floor(expiresAtMs / 1000) + 86_400;
