/**
 * One-finger pan, two-finger pinch, tap and double-tap from pointer events (touch, pen
 * and mouse alike). Hand-written: @use-gesture (the usual library) has had no release
 * since 2024 and has no double-tap, and the map's own part (the anchored camera) is
 * the same code either way. A sequence that moved or pinched is never a tap.
 */
export interface GestureHandlers {
  /** A press and release that did not move; `double` when it follows a tap close by. */
  tap(x: number, y: number, info: { pointerType: string; double: boolean }): void;
  pan(dx: number, dy: number): void;
  /** Scale by `factor` about the viewport point (x, y), then move by (dx, dy). */
  pinch(factor: number, x: number, y: number, dx: number, dy: number): void;
  /** All fingers are up after a pan or pinch. */
  end(): void;
}

const SLOP = { touch: 10, pen: 6, mouse: 4 } as Record<string, number>;
const DOUBLE_MS = 320;
const DOUBLE_PX = 30;

interface Point {
  x: number;
  y: number;
}

export function attachGestures(el: HTMLElement, on: GestureHandlers): () => void {
  const down = new Map<number, Point>();
  let start: Point | null = null;
  let moved = false;
  let pinching = false;
  let lastTap: { at: number; x: number; y: number } | null = null;

  // Pointers are kept in client coordinates (the page may scroll under a pan); anchors are
  // handed out relative to the element.
  const local = (p: Point): Point => {
    const r = el.getBoundingClientRect();
    return { x: p.x - r.left, y: p.y - r.top };
  };
  const client = (e: PointerEvent): Point => ({ x: e.clientX, y: e.clientY });
  const pair = () => {
    const [a, b] = [...down.values()] as [Point, Point];
    return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, dist: Math.hypot(a.x - b.x, a.y - b.y) };
  };

  function ondown(e: PointerEvent) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    try {
      el.setPointerCapture(e.pointerId);
    } catch {
      /* synthetic pointers (the benchmark) cannot be captured */
    }
    const p = client(e);
    down.set(e.pointerId, p);
    if (down.size === 1) {
      start = p;
      moved = false;
      pinching = false;
    } else {
      pinching = true;
    }
  }

  function onmove(e: PointerEvent) {
    const prev = down.get(e.pointerId);
    if (!prev) return;
    const p = client(e);
    if (down.size >= 2) {
      const before = pair();
      down.set(e.pointerId, p);
      const after = pair();
      moved = true;
      const at = local(before.mid);
      on.pinch(before.dist > 0 ? after.dist / before.dist : 1, at.x, at.y, after.mid.x - before.mid.x, after.mid.y - before.mid.y);
      return;
    }
    down.set(e.pointerId, p);
    if (!moved && start && Math.hypot(p.x - start.x, p.y - start.y) < (SLOP[e.pointerType] ?? 8)) return;
    if (!moved && start) {
      moved = true;
      on.pan(p.x - start.x, p.y - start.y); // the slop is not lost: the hall follows the finger
      return;
    }
    on.pan(p.x - prev.x, p.y - prev.y);
  }

  function onup(e: PointerEvent) {
    const p = down.get(e.pointerId);
    if (!p) return;
    down.delete(e.pointerId);
    if (down.size > 0) return; // one finger of a pinch lifted: the other goes on panning
    if (e.type === 'pointerup' && !moved && !pinching) {
      const now = e.timeStamp;
      const double = !!lastTap && now - lastTap.at < DOUBLE_MS && Math.hypot(p.x - lastTap.x, p.y - lastTap.y) < DOUBLE_PX;
      lastTap = double ? null : { at: now, x: p.x, y: p.y };
      const at = local(p);
      on.tap(at.x, at.y, { pointerType: e.pointerType, double });
    } else {
      lastTap = null;
      on.end();
    }
  }

  el.addEventListener('pointerdown', ondown);
  el.addEventListener('pointermove', onmove);
  el.addEventListener('pointerup', onup);
  el.addEventListener('pointercancel', onup);
  return () => {
    el.removeEventListener('pointerdown', ondown);
    el.removeEventListener('pointermove', onmove);
    el.removeEventListener('pointerup', onup);
    el.removeEventListener('pointercancel', onup);
  };
}
