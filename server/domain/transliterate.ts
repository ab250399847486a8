/**
 * Devanagari and Telugu to Latin letters, roughly as people type names in Latin
 * ("बाहुबली", "బాహుబలి" → "baahubalii", "baahubali"), so a search typed in Hindi or Telugu
 * meets titles written in Latin. Both scripts keep the same Unicode layout (from ISCII), so
 * one table by offset in the block serves both.
 */
const DEVANAGARI = 0x0900;
const TELUGU = 0x0c00;

const vowels: Record<number, string> = {
  0x05: 'a', 0x06: 'aa', 0x07: 'i', 0x08: 'ii', 0x09: 'u', 0x0a: 'uu', 0x0b: 'ri', 0x0c: 'li',
  0x0e: 'e', 0x0f: 'e', 0x10: 'ai', 0x12: 'o', 0x13: 'o', 0x14: 'au',
};
const consonants: Record<number, string> = {
  0x15: 'k', 0x16: 'kh', 0x17: 'g', 0x18: 'gh', 0x19: 'n', 0x1a: 'ch', 0x1b: 'chh', 0x1c: 'j', 0x1d: 'jh', 0x1e: 'n',
  0x1f: 't', 0x20: 'th', 0x21: 'd', 0x22: 'dh', 0x23: 'n', 0x24: 't', 0x25: 'th', 0x26: 'd', 0x27: 'dh', 0x28: 'n', 0x29: 'n',
  0x2a: 'p', 0x2b: 'ph', 0x2c: 'b', 0x2d: 'bh', 0x2e: 'm', 0x2f: 'y', 0x30: 'r', 0x31: 'r', 0x32: 'l', 0x33: 'l', 0x34: 'l',
  0x35: 'v', 0x36: 'sh', 0x37: 'sh', 0x38: 's', 0x39: 'h',
};
const vowelSigns: Record<number, string> = {
  0x3e: 'aa', 0x3f: 'i', 0x40: 'ii', 0x41: 'u', 0x42: 'uu', 0x43: 'ri', 0x44: 'rri',
  0x46: 'e', 0x47: 'e', 0x48: 'ai', 0x4a: 'o', 0x4b: 'o', 0x4c: 'au',
};
const marks: Record<number, string> = { 0x01: 'n', 0x02: 'n', 0x03: 'h' };
const VIRAMA = 0x4d;

/** Latin for the Devanagari and Telugu letters of `word`; anything else is kept as it is. */
export function toLatin(word: string): string {
  if (!/[\u0900-\u097f\u0c00-\u0c7f]/.test(word)) return word;
  let out = '';
  let inherent = false; // a consonant's "a", until a vowel sign or a virama says otherwise
  let devanagari = false;
  // NFC keeps Telugu ై one letter; Devanagari's nukta letters (क़, ड़) still come apart, and the nukta is dropped.
  for (const ch of word.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    const block = code >= DEVANAGARI && code <= 0x097f ? DEVANAGARI : code >= TELUGU && code <= 0x0c7f ? TELUGU : null;
    if (block === null) {
      if (inherent) out += 'a';
      inherent = false;
      out += ch;
      continue;
    }
    devanagari ||= block === DEVANAGARI;
    const o = code - block;
    if (consonants[o]) {
      if (inherent) out += 'a';
      out += consonants[o];
      inherent = true;
    } else if (vowelSigns[o]) {
      out += vowelSigns[o];
      inherent = false;
    } else if (o === VIRAMA) {
      inherent = false;
    } else {
      if (inherent) out += 'a';
      inherent = false;
      if (vowels[o]) out += vowels[o];
      else if (marks[o]) out += marks[o];
      else if (o >= 0x66 && o <= 0x6f) out += String(o - 0x66);
      // nukta, avagraha and the rest: nothing a name is spelt by
    }
  }
  // Hindi does not say a word's last "a" (राम is "Ram"); Telugu does (రామ is "Rama").
  if (inherent && !devanagari) out += 'a';
  // An anusvara before p, b or m is said "m" (मुंबई is "Mumbai").
  return out.replace(/n(?=[pbm])/g, 'm');
}
