/**
 * A generated poster's words (genre names, runtime) in each language the UI has, from the
 * client's message catalogues, so a poster says what the page around it says.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { UiLanguage } from '../../protocol/languages.js';
import type { PosterWords } from '../domain/poster.js';

export type PosterLanguage = (typeof UiLanguage.options)[number];

export interface PosterWordBook {
  words: Record<PosterLanguage, PosterWords>;
  /** Changes when any of those words change: part of a poster's version, so a cached poster never keeps old words. */
  fingerprint: string;
}

const TAGS: Record<PosterLanguage, string> = { en: 'en-IN', hi: 'hi-IN', te: 'te-IN' };

export function loadPosterWords(): PosterWordBook {
  const read = (l: PosterLanguage): Record<string, string> => JSON.parse(readFileSync(new URL(`../../client/src/locales/${l}.json`, import.meta.url), 'utf8'));
  const catalogues = Object.fromEntries(UiLanguage.options.map((l) => [l, read(l)])) as Record<PosterLanguage, Record<string, string>>;
  const used = (c: Record<string, string>) => Object.entries(c).filter(([k]) => k.startsWith('genre.') || k === 'poster.hoursMinutes' || k === 'minutes');
  const fingerprint = createHash('sha256').update(JSON.stringify(UiLanguage.options.map((l) => used(catalogues[l])))).digest('base64url').slice(0, 8);
  const wordsOf = (l: PosterLanguage): PosterWords => {
    const c = catalogues[l];
    const hoursMinutes = new IntlMessageFormat(c['poster.hoursMinutes']!, TAGS[l]);
    const minutes = new IntlMessageFormat(c.minutes!, TAGS[l]);
    return {
      genre: (g) => c[`genre.${g}`] ?? g,
      runtime: (h, m) => String(h ? hoursMinutes.format({ h, mm: String(m).padStart(2, '0') }) : minutes.format({ n: m })),
    };
  };
  return { words: Object.fromEntries(UiLanguage.options.map((l) => [l, wordsOf(l)])) as Record<PosterLanguage, PosterWords>, fingerprint };
}
