/**
 * The UI catalogues: one JSON file per language in ../locales/, ICU MessageFormat
 * ({name}, {n, plural, ...}). English is the reference: its keys are the MessageKey type,
 * and the other languages must have every one (checked by the type here and by
 * messages.test.ts, which also checks each message's arguments match English).
 */
import en from '../locales/en.json';
import hi from '../locales/hi.json';
import te from '../locales/te.json';

export const locales = { en: 'English', hi: 'हिन्दी', te: 'తెలుగు' } as const;
export type Locale = keyof typeof locales;
export type MessageKey = keyof typeof en;

export const messages: Record<Locale, Record<MessageKey, string>> = { en, hi, te };
