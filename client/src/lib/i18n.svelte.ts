import { IntlMessageFormat } from 'intl-messageformat';
import { messages, locales, type Locale, type MessageKey } from './messages.js';

const KEY = 'mm.locale';

/** BCP 47 tag for Intl formatting of a UI language. */
export const tagOf = (locale: Locale) => (locale === 'en' ? 'en-IN' : `${locale}-IN`);

class I18n {
  locale = $state<Locale>('en');
  constructor() {
    const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (saved && saved in locales) this.locale = saved as Locale;
    this.apply();
  }
  set(locale: Locale) {
    this.locale = locale;
    localStorage.setItem(KEY, locale);
    this.apply();
  }
  private apply() {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }
  /** BCP 47 tag for Intl formatting. */
  get tag() {
    return tagOf(this.locale);
  }
}

export const i18n = new I18n();

export type MessageValues = Record<string, string | number>;
const compiled = new Map<string, IntlMessageFormat>();

/** One message of one language, formatted; falls back to English if that language's text fails. */
export function format(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const id = `${locale}:${key}`;
  let f = compiled.get(id);
  if (!f) {
    f = new IntlMessageFormat(messages[locale][key] ?? messages.en[key], tagOf(locale));
    compiled.set(id, f);
  }
  try {
    return String(f.format(values));
  } catch (err) {
    if (locale !== 'en') return format('en', key, values);
    throw err;
  }
}

/** A message in the current UI language (reactive: re-read when the language changes). */
export function t(key: MessageKey, values: MessageValues = {}): string {
  return format(i18n.locale, key, values);
}

export function hasMessage(key: string): key is MessageKey {
  return key in messages.en;
}
