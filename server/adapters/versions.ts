import type { VersionCounter } from '../ports.js';

/** Per-show broadcast sequence kept in this process (one process; Redis INCR for several). */
export function createMemoryVersions(): VersionCounter {
  const versions = new Map<string, number>();
  return {
    async next(showId) {
      const v = (versions.get(showId) ?? 0) + 1;
      versions.set(showId, v);
      return v;
    },
    async current(showId) {
      return versions.get(showId) ?? 0;
    },
  };
}
