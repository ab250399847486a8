/**
 * The seat map's camera: one transform shared by both renderers, the hit test, the
 * overview and every gesture. World units are seat pitches (a seat cell is 1×1);
 * `scale` is CSS px per pitch and (x, y) is where the world's origin sits in the viewport.
 */
export interface Camera {
  scale: number;
  x: number;
  y: number;
}
export interface Frame {
  /** Viewport size in CSS px. */
  width: number;
  height: number;
  /** World size in pitches. */
  worldWidth: number;
  worldHeight: number;
  minScale: number;
  maxScale: number;
  /** Room kept above the hall for the screen, in CSS px. */
  top: number;
  bottom: number;
}

/** A pitch of 28 px gives a 24 px seat and a 28 px tap target (WCAG 2.5.8 asks for 24). */
export const PICK_PITCH = 28;
/** Below this pitch a fingertip covers several seats: a tap zooms in instead of picking. */
export const AIM_PITCH = 10;

export function fitScale(viewWidth: number, worldWidth: number, cap = 34.5): number {
  return Math.max(1, Math.min(cap, (viewWidth - 8) / worldWidth));
}
export function maxScaleFor(fit: number): number {
  return Math.max(40, fit * 2);
}

/** Keeps the hall in view: centred when it fits, edge to edge when it does not. */
export function clamp(c: Camera, f: Frame): Camera {
  const scale = Math.min(f.maxScale, Math.max(f.minScale, c.scale));
  const w = f.worldWidth * scale;
  const h = f.worldHeight * scale;
  const x = w <= f.width ? (f.width - w) / 2 : Math.min(0, Math.max(f.width - w, c.x));
  const y = h + f.top + f.bottom <= f.height ? f.top : Math.min(f.top, Math.max(f.height - f.bottom - h, c.y));
  return { scale, x, y };
}

/** Zooms by `factor` keeping the viewport point (px, py) over the same spot of the hall. */
export function zoomAt(c: Camera, factor: number, px: number, py: number, f: Frame): Camera {
  const scale = Math.min(f.maxScale, Math.max(f.minScale, c.scale * factor));
  const k = scale / c.scale;
  return clamp({ scale, x: px - (px - c.x) * k, y: py - (py - c.y) * k }, f);
}

export function panBy(c: Camera, dx: number, dy: number, f: Frame): Camera {
  return clamp({ scale: c.scale, x: c.x + dx, y: c.y + dy }, f);
}

/** Puts the world point (wx, wy) at the viewport centre, at `scale`. */
export function centreOn(wx: number, wy: number, scale: number, f: Frame): Camera {
  return clamp({ scale, x: f.width / 2 - wx * scale, y: (f.height + f.top - f.bottom) / 2 - wy * scale }, f);
}

export const toWorld = (c: Camera, px: number, py: number) => ({ x: (px - c.x) / c.scale, y: (py - c.y) / c.scale });

/** The part of the hall in view, in world units. */
export function visibleRect(c: Camera, f: Frame) {
  const a = toWorld(c, 0, 0);
  const b = toWorld(c, f.width, f.height);
  return { x: Math.max(0, a.x), y: Math.max(0, a.y), right: Math.min(f.worldWidth, b.x), bottom: Math.min(f.worldHeight, b.y) };
}

/** The smallest pan that brings the world box into view (with a margin), at the camera's scale. */
export function reveal(c: Camera, box: { x: number; y: number; right: number; bottom: number }, f: Frame, margin = 0.5): Camera {
  let { x, y } = c;
  const left = (box.x - margin) * c.scale + x;
  const right = (box.right + margin) * c.scale + x;
  if (left < 0) x -= left;
  else if (right > f.width) x -= Math.min(right - f.width, left);
  const top = (box.y - margin) * c.scale + y;
  const bottom = (box.bottom + margin) * c.scale + y;
  if (top < f.top) y += f.top - top;
  else if (bottom > f.height - f.bottom) y -= Math.min(bottom - (f.height - f.bottom), top - f.top);
  return clamp({ scale: c.scale, x, y }, f);
}
