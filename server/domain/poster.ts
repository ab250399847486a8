/**
 * A designed poster for a movie that has none: an SVG drawn from its title, genres, certificate
 * and runtime, with a palette and a layout seeded by a hash of its id (so each movie has its own
 * and the same movie always gets the same one). 2:3, legible from about 120 px wide.
 */
import type { Movie } from '../../protocol/index.js';

export const POSTER_WIDTH = 200;
export const POSTER_HEIGHT = 300;

type PosterMovie = Pick<Movie, 'id' | 'title' | 'genres' | 'certificate' | 'runtimeMinutes'>;

/** The poster's words in the reader's language (the caller looks them up); English when left out. */
export interface PosterWords {
  /** The genre's name as shown. */
  genre: (genre: string) => string;
  /** The runtime as shown, e.g. "2h 47m". */
  runtime: (hours: number, minutes: number) => string;
}

export const ENGLISH_POSTER_WORDS: PosterWords = {
  genre: (g) => g,
  runtime: (h, m) => (h ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`),
};

/** FNV-1a: a stable 32-bit seed from the movie's id. */
function seedOf(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** mulberry32: a small deterministic generator, so a poster is a pure function of its movie. */
function randomFrom(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text and attribute values as XML; characters XML 1.0 cannot hold at all are dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function hex(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const sat = s / 100;
  const lig = l / 100;
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    const c = lig - sat * Math.min(lig, 1 - lig) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** Rough advance widths of a heavy sans-serif, in ems: enough to wrap and fit a title. */
function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) {
    if (ch === ' ') w += 0.28;
    else if ('IJ1!.,:;\'|'.includes(ch)) w += 0.34;
    else if ('MW'.includes(ch)) w += 1.0;
    else if ('OQDGHNCU²'.includes(ch)) w += 0.82;
    else if (/[0-9]/.test(ch)) w += 0.66;
    else w += 0.76;
  }
  return w * size;
}

/** "Mission: Impossible - Dead Reckoning" → main "Mission: Impossible", subtitle "Dead Reckoning". */
export function splitTitle(title: string): { main: string; sub: string } {
  const clean = title.replace(/\^2/g, '²').trim();
  const dash = clean.lastIndexOf(' - ');
  if (dash > 0) return { main: clean.slice(0, dash), sub: clean.slice(dash + 3) };
  const colon = clean.indexOf(': ');
  if (colon > 0) return { main: clean.slice(0, colon), sub: clean.slice(colon + 2) };
  return { main: clean, sub: '' };
}

const TEXT_WIDTH = POSTER_WIDTH - 28;

/** The largest size at which the words wrap into at most three lines that fit. */
export function fitTitle(main: string): { size: number; lines: string[] } {
  // A short last word ("2" in "Tiger 3") stays with the word before it rather than alone on a line.
  const words = main
    .toUpperCase()
    .split(/\s+/)
    .filter(Boolean)
    .reduce<string[]>((ws, w) => (w.length <= 2 && ws.length > 0 ? [...ws.slice(0, -1), `${ws[ws.length - 1]} ${w}`] : [...ws, w]), []);
  for (let size = 48; size >= 20; size -= 2) {
    const lines: string[] = [];
    for (const word of words) {
      const last = lines[lines.length - 1];
      if (last !== undefined && textWidth(`${last} ${word}`, size) <= TEXT_WIDTH) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    if (lines.length <= 3 && lines.every((l) => textWidth(l, size) <= TEXT_WIDTH)) return { size, lines };
  }
  // Very long words: the smallest size, squeezed to the width by the renderer (textLength).
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += Math.ceil(words.length / 3)) lines.push(words.slice(i, i + Math.ceil(words.length / 3)).join(' '));
  return { size: 20, lines };
}

type Rng = () => number;
interface Palette {
  light: string;
  mid: string;
  deep: string;
  accent: string;
}

const n = (x: number) => Math.round(x * 10) / 10;

/** Shapes that say the genre at a glance, placed by the movie's own random numbers. */
const motifs: Record<string, (r: Rng, p: Palette) => string> = {
  Action(r, p) {
    return r() < 0.5 ? actionBurst(r, p) : actionSlash(r, p);
  },
  Thriller(r, p) {
    const cx = 60 + r() * 80;
    const cy = 80 + r() * 40;
    const rings = [70, 48, 26].map((rad) => `<circle cx="${n(cx)}" cy="${n(cy)}" r="${rad}" fill="none" stroke="${p.light}" stroke-width="2" opacity="0.45"/>`).join('');
    const shards = Array.from({ length: 3 }, () => {
      const x = r() * 200;
      return `<polygon points="${n(x)},0 ${n(x + 30 + r() * 30)},0 ${n(x - 40)},${n(140 + r() * 60)}" fill="${p.deep}" opacity="0.35"/>`;
    }).join('');
    return `${shards}${rings}<path d="M${n(cx - 85)} ${n(cy)} H${n(cx + 85)} M${n(cx)} ${n(cy - 85)} V${n(cy + 85)}" stroke="${p.accent}" stroke-width="2.5" opacity="0.8"/>`;
  },
  Crime(r, p) {
    const tilt = -20 - r() * 15;
    const bars = Array.from({ length: 9 }, (_, i) => `<rect x="-60" y="${i * 24}" width="340" height="11" fill="${p.deep}" opacity="0.45"/>`).join('');
    return `<g transform="rotate(${n(tilt)} 100 100)">${bars}</g><circle cx="${n(50 + r() * 100)}" cy="${n(70 + r() * 40)}" r="22" fill="${p.accent}" opacity="0.7"/>`;
  },
  Drama(r, p) {
    const x = 40 + r() * 120;
    return `<polygon points="${n(x - 12)},0 ${n(x + 12)},0 ${n(x + 90)},220 ${n(x - 90)},220" fill="${p.light}" opacity="0.18"/><ellipse cx="${n(x)}" cy="205" rx="80" ry="16" fill="${p.light}" opacity="0.25"/><circle cx="${n(x)}" cy="${n(110 + r() * 30)}" r="${n(26 + r() * 10)}" fill="${p.accent}" opacity="0.6"/>`;
  },
  Romance(r, p) {
    const cx = 100 + (r() - 0.5) * 30;
    const cy = 95 + r() * 25;
    const heart = (x: number, y: number, s: number, o: number) =>
      `<path transform="translate(${n(x)} ${n(y)}) scale(${n(s)})" d="M0 6 C-8 -4 -18 4 -10 12 L0 22 L10 12 C18 4 8 -4 0 6 Z" fill="${p.light}" opacity="${o}"/>`;
    return `<circle cx="${n(cx - 28)}" cy="${n(cy)}" r="52" fill="${p.accent}" opacity="0.45"/><circle cx="${n(cx + 28)}" cy="${n(cy)}" r="52" fill="${p.light}" opacity="0.3"/>${heart(30 + r() * 40, 30 + r() * 30, 1.2, 0.6)}${heart(140 + r() * 30, 40 + r() * 40, 0.9, 0.5)}`;
  },
  Fantasy(r, p) {
    const mx = 60 + r() * 80;
    const my = 70 + r() * 30;
    const stars = Array.from({ length: 14 }, () => `<circle cx="${n(r() * 200)}" cy="${n(r() * 180)}" r="${n(0.8 + r() * 1.8)}" fill="${p.light}" opacity="${n(0.5 + r() * 0.5)}"/>`).join('');
    return `${stars}<circle cx="${n(mx)}" cy="${n(my)}" r="44" fill="${p.accent}" opacity="0.85"/><circle cx="${n(mx + 18)}" cy="${n(my - 10)}" r="40" fill="${p.mid}"/>`;
  },
  'Sci-Fi'(r, p) {
    const cx = 70 + r() * 60;
    const cy = 90 + r() * 30;
    const stars = Array.from({ length: 12 }, () => `<circle cx="${n(r() * 200)}" cy="${n(r() * 170)}" r="${n(0.7 + r() * 1.3)}" fill="${p.light}" opacity="0.7"/>`).join('');
    const tilt = -25 + r() * 50;
    return `${stars}<circle cx="${n(cx)}" cy="${n(cy)}" r="38" fill="${p.accent}" opacity="0.85"/><ellipse cx="${n(cx)}" cy="${n(cy)}" rx="72" ry="14" fill="none" stroke="${p.light}" stroke-width="3" opacity="0.75" transform="rotate(${n(tilt)} ${n(cx)} ${n(cy)})"/>`;
  },
  Adventure(r, p) {
    const peaks = (base: number, h: number, fill: string, o: number) => {
      const pts = [`-10,${base}`];
      for (let x = -10; x <= 210; x += 35 + r() * 25) pts.push(`${n(x)},${n(base - h * (0.5 + r() * 0.5))}`, `${n(x + 18)},${n(base - h * 0.2)}`);
      pts.push(`210,${base}`);
      return `<polygon points="${pts.join(' ')}" fill="${fill}" opacity="${o}"/>`;
    };
    return `<circle cx="${n(40 + r() * 120)}" cy="${n(55 + r() * 25)}" r="26" fill="${p.accent}" opacity="0.85"/>${peaks(190, 90, p.light, 0.3)}${peaks(215, 70, p.deep, 0.55)}`;
  },
  Mystery(r, p) {
    const cx = 70 + r() * 60;
    const cy = 95 + r() * 20;
    const rings = [85, 65, 45].map((rad, i) => `<circle cx="${n(cx)}" cy="${n(cy)}" r="${rad}" fill="none" stroke="${p.light}" stroke-width="${3 - i}" opacity="0.3"/>`).join('');
    return `${rings}<circle cx="${n(cx)}" cy="${n(cy - 8)}" r="16" fill="${p.accent}"/><polygon points="${n(cx - 8)},${n(cy)} ${n(cx + 8)},${n(cy)} ${n(cx + 13)},${n(cy + 34)} ${n(cx - 13)},${n(cy + 34)}" fill="${p.accent}"/>`;
  },
  Comedy(r, p) {
    const colours = [p.accent, p.light, '#ffd43b', '#63e6be'];
    return Array.from({ length: 26 }, (_, i) => {
      const x = r() * 200;
      const y = r() * 190;
      const c = colours[i % colours.length];
      return i % 2
        ? `<rect x="${n(x)}" y="${n(y)}" width="${n(5 + r() * 6)}" height="${n(3 + r() * 3)}" fill="${c}" opacity="0.8" transform="rotate(${n(r() * 180)} ${n(x)} ${n(y)})"/>`
        : `<circle cx="${n(x)}" cy="${n(y)}" r="${n(2 + r() * 5)}" fill="${c}" opacity="0.75"/>`;
    }).join('');
  },
  Horror(r, p) {
    const mx = 50 + r() * 100;
    let drips = 'M0 0 H200 V10';
    for (let x = 200; x > 0; x -= 14 + r() * 10) drips += ` L${n(x)} 10 L${n(x - 3)} ${n(14 + r() * 34)} L${n(x - 6)} 10`;
    drips += ' L0 10 Z';
    return `<circle cx="${n(mx)}" cy="${n(80 + r() * 30)}" r="40" fill="${p.light}" opacity="0.55"/><path d="${drips}" fill="#8b0000" opacity="0.85"/><path d="M${n(mx - 70)} 200 q30 -60 10 -110 M${n(mx + 60)} 200 q-20 -50 5 -95" stroke="${p.deep}" stroke-width="5" fill="none" opacity="0.8"/>`;
  },
  Biography(r, p) {
    const cx = 70 + r() * 60;
    return `<rect x="${n(cx - 60)}" y="40" width="120" height="150" rx="60" fill="none" stroke="${p.light}" stroke-width="3" opacity="0.5"/><circle cx="${n(cx)}" cy="100" r="26" fill="${p.accent}" opacity="0.8"/><path d="M${n(cx - 48)} 190 q48 -70 96 0 Z" fill="${p.accent}" opacity="0.8"/>`;
  },
  Historical(r, p) {
    const rays = Array.from({ length: 9 }, (_, i) => {
      const a = Math.PI + (Math.PI * (i + 0.5)) / 9;
      return `<path d="M100 150 L${n(100 + 160 * Math.cos(a))} ${n(150 + 160 * Math.sin(a))}" stroke="${p.light}" stroke-width="${n(4 + r() * 4)}" opacity="0.22"/>`;
    }).join('');
    const columns = [40, 80, 120, 160].map((x) => `<rect x="${x - 8}" y="${n(110 + r() * 10)}" width="16" height="90" fill="${p.light}" opacity="0.35"/>`).join('');
    return `${rays}<circle cx="100" cy="150" r="30" fill="${p.accent}" opacity="0.8"/>${columns}`;
  },
};

/** Action: an explosion with speed streaks. */
function actionBurst(r: Rng, p: Palette): string {
  const cx = 70 + r() * 60;
  const cy = 85 + r() * 30;
  const spikes = 14 + Math.floor(r() * 6);
  const pts = Array.from({ length: spikes * 2 }, (_, i) => {
    const rad = i % 2 ? 38 + r() * 10 : 80 + r() * 25;
    const a = (Math.PI * i) / spikes;
    return `${n(cx + rad * Math.cos(a))},${n(cy + rad * Math.sin(a))}`;
  }).join(' ');
  const streaks = Array.from({ length: 4 }, (_, i) => {
    const y = 30 + i * 42 + r() * 20;
    return `<path d="M-10 ${n(y + 60)} L210 ${n(y)}" stroke="${p.light}" stroke-width="${n(1 + r() * 3)}" opacity="0.35"/>`;
  }).join('');
  return `<polygon points="${pts}" fill="${p.accent}" opacity="0.55"/><circle cx="${n(cx)}" cy="${n(cy)}" r="30" fill="${p.light}" opacity="0.5"/>${streaks}`;
}

/** Action, the other way: thick diagonal slashes across a low sun. */
function actionSlash(r: Rng, p: Palette): string {
  const sun = `<circle cx="${n(50 + r() * 100)}" cy="${n(90 + r() * 30)}" r="${n(40 + r() * 15)}" fill="${p.accent}" opacity="0.75"/>`;
  const slashes = [0, 1, 2].map((i) => {
    const y = 40 + i * 55 + r() * 25;
    const w = 10 + r() * 16;
    return `<polygon points="-10,${n(y + 90)} 210,${n(y)} 210,${n(y + w)} -10,${n(y + 90 + w)}" fill="${i === 1 ? p.light : p.deep}" opacity="${i === 1 ? 0.55 : 0.6}"/>`;
  });
  return `${sun}${slashes.join('')}`;
}

/** A strip of film: for a genre without a motif of its own. */
function filmStrip(r: Rng, p: Palette): string {
  const y = 60 + r() * 60;
  const holes = Array.from({ length: 11 }, (_, i) => `<rect x="${i * 20 + 4}" y="${n(y + 6)}" width="10" height="8" rx="1.5" fill="${p.mid}"/><rect x="${i * 20 + 4}" y="${n(y + 66)}" width="10" height="8" rx="1.5" fill="${p.mid}"/>`).join('');
  return `<rect x="-5" y="${n(y)}" width="210" height="80" fill="${p.deep}" opacity="0.8"/>${holes}`;
}

const CERTIFICATE_COLOURS: Record<string, string> = { U: '#2b8a3e', UA: '#c25a00', A: '#c92a2a', S: '#5f3dc4' };

/** The poster as an SVG document (UTF-8 text). */
export function posterSvg(movie: PosterMovie, words: PosterWords = ENGLISH_POSTER_WORDS): string {
  const seed = seedOf(movie.id);
  const r = randomFrom(seed);
  const hue = seed % 360;
  const shift = 25 + r() * 70;
  const palette: Palette = {
    light: hex(hue + shift, 80, 82),
    mid: hex(hue, 55, 34),
    deep: hex(hue + shift, 60, 12),
    accent: hex(hue + 180 + (r() - 0.5) * 60, 75, 62),
  };
  const id = `p${seed.toString(36)}`;
  // Any of the movie's genres may set the motif, so that fourteen action movies do not look alike.
  const drawn = movie.genres.filter((g) => motifs[g]);
  const genre = drawn[Math.floor(r() * drawn.length)] ?? '';
  const motif = (motifs[genre] ?? filmStrip)(r, palette);
  const slant = n(0.15 + r() * 0.5);

  const { main, sub } = splitTitle(movie.title);
  const { size, lines } = fitTitle(main);
  const lineHeight = Math.round(size * 0.98);
  const genreLine = movie.genres.slice(0, 3).map(words.genre).join(' · ').toUpperCase();
  const subSize = textWidth(sub.toUpperCase(), 13) > TEXT_WIDTH ? 10.5 : 13;
  const subY = 262;
  const lastTitleY = sub ? subY - subSize - 6 : 266;
  const firstTitleY = lastTitleY - (lines.length - 1) * lineHeight;
  const titleText = lines
    .map((line, i) => {
      const squeeze = textWidth(line, size) > TEXT_WIDTH ? ` textLength="${TEXT_WIDTH}" lengthAdjust="spacingAndGlyphs"` : '';
      return `<tspan x="14" y="${firstTitleY + i * lineHeight}"${squeeze}>${escapeXml(line)}</tspan>`;
    })
    .join('');
  const subText = sub
    ? `<text x="14" y="${subY}" font-size="${subSize}" font-weight="700" letter-spacing="1" fill="${palette.light}"${textWidth(sub.toUpperCase(), subSize) > TEXT_WIDTH ? ` textLength="${TEXT_WIDTH}" lengthAdjust="spacingAndGlyphs"` : ''}>${escapeXml(sub.toUpperCase())}</text>`
    : '';
  const cert = movie.certificate.slice(0, 4);
  const certWidth = 12 + cert.length * 8;
  const font = `system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" font-family="${escapeXml(font)}">`,
    `<title>${escapeXml(movie.title)}</title>`,
    `<defs><linearGradient id="${id}-bg" x1="0" y1="0" x2="${slant}" y2="1"><stop offset="0" stop-color="${hex(hue, 50 + ((seed >>> 9) % 20), 38 + ((seed >>> 14) % 12))}"/><stop offset="1" stop-color="${palette.deep}"/></linearGradient>`,
    `<linearGradient id="${id}-scrim" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="0.55" stop-color="#000" stop-opacity="0.6"/><stop offset="1" stop-color="#000" stop-opacity="0.85"/></linearGradient>`,
    `<clipPath id="${id}-clip"><rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}"/></clipPath></defs>`,
    `<g clip-path="url(#${id}-clip)">`,
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="url(#${id}-bg)"/>`,
    `<g>${motif}</g>`,
    `<rect y="${firstTitleY - size - 40}" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT - firstTitleY + size + 40}" fill="url(#${id}-scrim)"/>`,
    `</g>`,
    `<rect x="10" y="10" width="${certWidth}" height="18" rx="3" fill="${CERTIFICATE_COLOURS[cert] ?? '#495057'}" stroke="#fff" stroke-width="1"/>`,
    `<text x="${10 + certWidth / 2}" y="23" font-size="11" font-weight="800" fill="#fff" text-anchor="middle">${escapeXml(cert)}</text>`,
    `<text x="${POSTER_WIDTH - 12}" y="23" font-size="10" font-weight="700" fill="#fff" text-anchor="end" opacity="0.9">${escapeXml(words.runtime(Math.floor(movie.runtimeMinutes / 60), movie.runtimeMinutes % 60))}</text>`,
    `<text font-size="${size}" font-weight="800" fill="#fff" letter-spacing="0.5">${titleText}</text>`,
    subText,
    `<rect x="14" y="272" width="28" height="2.5" fill="#d6336c"/>`,
    `<text x="14" y="288" font-size="8.5" font-weight="700" letter-spacing="1.2" fill="#fff" opacity="0.85">${escapeXml(genreLine)}</text>`,
    `</svg>`,
  ].join('');
}
