/**
 * Work in progress across HTTP requests and socket events, for a graceful shutdown:
 * once draining, new work is turned away (UNAVAILABLE) while started work, confirms
 * above all, runs to its answer.
 */
export function createInFlight() {
  let running = 0;
  let draining = false;
  let idle: (() => void) | null = null;
  return {
    get draining() {
      return draining;
    },
    get running() {
      return running;
    },
    /** Counts one piece of work; call the returned function exactly once when it is done. */
    enter(): () => void {
      running++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        running--;
        if (running === 0) idle?.();
      };
    },
    /** Turns new work away and resolves when the started work is done, or after `timeoutMs` (false). */
    drain(timeoutMs: number): Promise<boolean> {
      draining = true;
      if (running === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
  };
}
export type InFlight = ReturnType<typeof createInFlight>;
