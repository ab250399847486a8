/**
 * Versioned messages of one stream (a show's `seats:changed`), applied in order. The one
 * gap/resync rule shared by the server's rooms, the seat map and the staff dashboard:
 * a message at or below the current version is old news; the next one applies; a later
 * one waits for the missing ones — the caller decides how long (the server briefly, then
 * replays or reloads; a browser resyncs at once).
 */
export interface Versioned {
  version: number;
}

export class Sequence<T extends Versioned> {
  #version: number;
  #waiting = new Map<number, T>();

  constructor(version = 0) {
    this.#version = version;
  }

  get version(): number {
    return this.#version;
  }

  /** True while a later message waits for a missing one. */
  get hasGap(): boolean {
    return this.#waiting.size > 0;
  }

  /** The missing versions, [from, to] inclusive, while there is a gap. */
  missing(): [number, number] | null {
    if (this.#waiting.size === 0) return null;
    return [this.#version + 1, Math.min(...this.#waiting.keys()) - 1];
  }

  /** The messages that can be applied now, in order (possibly none). */
  push(message: T): T[] {
    if (message.version <= this.#version) return [];
    this.#waiting.set(message.version, message);
    const ready: T[] = [];
    for (let next = this.#waiting.get(this.#version + 1); next; next = this.#waiting.get(this.#version + 1)) {
      this.#waiting.delete(next.version);
      this.#version = next.version;
      ready.push(next);
    }
    return ready;
  }

  /** Starts again at `version` (a fresh snapshot); waiting messages above it are kept and returned if now in order. */
  reset(version: number): T[] {
    this.#version = version;
    const later = [...this.#waiting.values()].filter((m) => m.version > version);
    this.#waiting.clear();
    return later.sort((a, b) => a.version - b.version).flatMap((m) => this.push(m));
  }
}
