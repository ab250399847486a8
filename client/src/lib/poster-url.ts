import type { Locale } from './messages.js';

/**
 * The generated poster of a movie in the page's language (its genres and runtime are words):
 * the URL the API gave (it carries the version) or the bare one, with `lang` unless English.
 */
export function generatedPosterUrl(movie: { id: string; posterUrl?: string }, locale: Locale): string {
  const url = movie.posterUrl ?? `/api/movies/${encodeURIComponent(movie.id)}/poster.svg`;
  if (locale === 'en') return url;
  return `${url}${url.includes('?') ? '&' : '?'}lang=${locale}`;
}
