import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { ErrorCode, Reason } from '../../../protocol/errors.js';
import { tagOf } from './i18n.svelte.js';
import { locales, messages, type Locale } from './messages.js';
import { codeKey } from './problems.js';

type Ast = ReturnType<IntlMessageFormat['getAst']>;
/** Argument names (with their ICU kind) and the literal text of a parsed message. */
function walk(ast: Ast, args = new Map<string, string>(), text: string[] = []) {
  for (const el of ast) {
    // Element types of @formatjs/icu-messageformat-parser: 0 literal, 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 7 pound, 8 tag.
    if (el.type === 0) text.push(el.value);
    else if (el.type === 8) walk(el.children, args, text);
    else if (el.type === 7) continue;
    else if ('value' in el) {
      args.set(el.value, el.type === 5 ? 'select' : el.type === 6 ? 'plural' : 'value');
      if ('options' in el) {
        if (!('other' in el.options)) throw new Error(`${el.value}: a plural or select needs an "other" case`);
        for (const o of Object.values(el.options)) walk(o.value, args, text);
      }
    }
  }
  return { args, text: text.join(' ') };
}

const langs = Object.keys(locales) as Locale[];
const parsed = (l: Locale, key: string) => walk(new IntlMessageFormat(messages[l][key as keyof typeof messages.en], tagOf(l)).getAst());

describe('message catalogues', () => {
  it('every key exists in every language, and no language has keys English lacks', () => {
    const keys = Object.keys(messages.en).sort();
    for (const l of langs) expect(Object.keys(messages[l]).sort(), l).toEqual(keys);
  });

  it('every message parses as ICU in its language, plurals have "other", and each takes the same arguments as English', () => {
    for (const key of Object.keys(messages.en)) {
      const en = parsed('en', key);
      for (const l of langs) {
        const { args } = parsed(l, key);
        expect([...args.keys()].sort(), `${l}.${key}`).toEqual([...en.args.keys()].sort());
        for (const [name, kind] of args) if (kind === 'select') expect(en.args.get(name), `${l}.${key} {${name}}`).toBe('select');
      }
    }
  });

  it('Hindi and Telugu texts are written in their scripts wherever English has words', () => {
    const script: Record<Exclude<Locale, 'en'>, RegExp> = { hi: /[\u0900-\u097F]/, te: /[\u0C00-\u0C7F]/ };
    // Names that read the same in every script on Indian screens.
    const same = new Set<string>([]);
    for (const key of Object.keys(messages.en)) {
      if (same.has(key) || !/[A-Za-z]{2,}/.test(parsed('en', key).text.replace(/name@example\.com|CSV|QR|PDF|Movie Magic/g, ''))) continue;
      for (const l of ['hi', 'te'] as const) expect(parsed(l, key).text, `${l}.${key}`).toMatch(script[l]);
    }
  });

  it('every error code and every reason the server may send has a message', () => {
    for (const code of Object.values(ErrorCode)) expect(messages.en[codeKey[code]], code).toBeTruthy();
    for (const reason of Reason) expect(Object.keys(messages.en)).toContain(`reason.${reason}`);
  });
});
