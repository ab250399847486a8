import type { SeatSource, SeatView } from './seat-board.js';

/** A SeatSource over a plain array, for tests and the benchmark page. */
export function arraySource(views: SeatView[]) {
  const listeners = new Set<(changed: number[] | 'all') => void>();
  const source: SeatSource & { set(changes: [number, SeatView][]): void } = {
    viewOf: (i) => views[i] ?? 'free',
    isPending: () => false,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(changes) {
      for (const [i, v] of changes) views[i] = v;
      for (const l of listeners) l(changes.map(([i]) => i));
    },
  };
  return source;
}
