import { messages, locales, type Locale, type MessageKey } from './messages.js';

const KEY = 'mm.locale';

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
    return this.locale === 'en' ? 'en-IN' : `${this.locale}-IN`;
  }
}

export const i18n = new I18n();

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = messages[i18n.locale][key] ?? messages.en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
