/**
 * Seat colours from the theme contract's CSS custom properties (app.css sets them, and
 * high contrast changes them), with today's colours as fallbacks. The DOM board uses the
 * properties directly in CSS; the canvas and the overview read them here.
 */
export interface SeatTheme {
  tones: string[];
  free: string;
  held: string;
  heldStripe: string;
  booked: string;
  mine: string;
  mineEdge: string;
  mark: string;
  faded: number;
  ink: string;
  muted: string;
  focus: string;
}

export const FALLBACK = {
  tones: ['#2a9d8f', '#8e5cd9', '#d48a12', '#c2416b'],
  free: '#ffffff',
  held: '#e3e5e8',
  heldStripe: '#9aa0a6',
  booked: '#5f6368',
  mine: '#d6336c',
  mineEdge: '#a61e4d',
  mark: '#ffffff',
  faded: 0.3,
} as const;

export function readSeatTheme(el: Element): SeatTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const faded = parseFloat(v('--seat-faded', String(FALLBACK.faded)));
  return {
    tones: FALLBACK.tones.map((c, i) => v(`--seat-tone-${i}`, c)),
    free: v('--seat-free', v('--card', FALLBACK.free)),
    held: v('--seat-held', FALLBACK.held),
    heldStripe: v('--seat-held-stripe', FALLBACK.heldStripe),
    booked: v('--seat-booked', FALLBACK.booked),
    mine: v('--seat-mine', v('--accent', FALLBACK.mine)),
    mineEdge: v('--seat-mine-edge', v('--accent-strong', FALLBACK.mineEdge)),
    mark: v('--seat-mark', FALLBACK.mark),
    faded: Number.isFinite(faded) ? faded : FALLBACK.faded,
    ink: v('--fg', '#1d1d1f'),
    muted: v('--muted', '#5c5f66'),
    focus: v('--focus', '#1864ab'),
  };
}

/** Calls back when the theme may have changed: the root's contrast/text attributes or the OS contrast setting. */
export function onThemeChange(callback: () => void): () => void {
  const observer = new MutationObserver(callback);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-contrast', 'data-text', 'class', 'style'] });
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-contrast: more)') : null;
  media?.addEventListener?.('change', callback);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.('change', callback);
  };
}
