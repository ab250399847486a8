/**
 * What an uploaded image really is, from its first bytes (magic numbers), never from its
 * name or the Content-Type a browser guessed: JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A)
 * or WebP (RIFF, 4 size bytes, WEBP). Anything else, or too short to tell, is null.
 */
export type PosterFormat = 'jpeg' | 'png' | 'webp';

const startsWith = (bytes: Uint8Array, sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function sniffImage(bytes: Uint8Array): PosterFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  return null;
}

/** Uploaded posters: at most this many bytes, at least this big, stored as WebP at these widths (2:3). */
export const POSTER_RULES = {
  maxBytes: 5 * 1024 * 1024,
  minWidth: 160,
  minHeight: 240,
  widths: [160, 320, 640],
} as const;

/** The widths to make of a source `sourceWidth` wide: never upscaled, the narrowest always. */
export const posterWidths = (sourceWidth: number): number[] =>
  POSTER_RULES.widths.filter((w, i) => i === 0 || w <= sourceWidth);

export const posterHeight = (width: number) => Math.round(width * 1.5);
