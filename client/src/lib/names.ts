/**
 * Catalogue data in the user's language: genres, language names, cities and numbered
 * screens have messages (genre.Action, language.Hindi, city.hyderabad, screenN); anything
 * without one (a theatre's own screen name, a new genre) is shown as the server sent it.
 * Movie titles, theatre names and seat categories typed by staff stay as they are.
 */
import { hasMessage, t } from './i18n.svelte.js';

const named = (key: string, fallback: string) => (hasMessage(key) ? t(key) : fallback);

export const genreName = (genre: string) => named(`genre.${genre}`, genre);
export const languageName = (language: string) => named(`language.${language}`, language);
/** Director, music, ...: a role without a message is shown as sent. */
export const crewRole = (role: string) => named(`crew.${role}`, role);
export const cityName = (city: { id: string; name: string }) => named(`city.${city.id}`, city.name);

/** "Screen 2" is ours to translate; "IMAX" or "Audi Gold" stay as the theatre named them. */
export function screenName(name: string): string {
  const n = /^Screen (\d+)$/.exec(name)?.[1];
  return n ? t('screenN', { n }) : name;
}
