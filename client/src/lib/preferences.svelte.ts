/**
 * Display preferences: high contrast and larger text, remembered in localStorage and shown as
 * root attributes (`data-contrast="high"`, `data-text="large"`) that app.css themes from. With
 * nothing chosen, contrast follows the system's `prefers-contrast: more`.
 */
const CONTRAST_KEY = 'mm.contrast';
const TEXT_KEY = 'mm.text';

export type Contrast = 'normal' | 'high';
export type TextSize = 'normal' | 'large';

const media = (q: string) => (typeof matchMedia === 'undefined' ? null : matchMedia(q));
const stored = (key: string) => (typeof localStorage === 'undefined' ? null : localStorage.getItem(key));

export class Preferences {
  /** The system asks for more contrast. */
  systemContrast = $state(false);
  /** The system asks for reduced motion (no smooth scrolling or animation). */
  reducedMotion = $state(false);
  #contrast = $state<Contrast | null>(null);
  #text = $state<TextSize>('normal');

  constructor() {
    const c = stored(CONTRAST_KEY);
    if (c === 'high' || c === 'normal') this.#contrast = c;
    if (stored(TEXT_KEY) === 'large') this.#text = 'large';
    const more = media('(prefers-contrast: more)');
    const still = media('(prefers-reduced-motion: reduce)');
    this.systemContrast = !!more?.matches;
    this.reducedMotion = !!still?.matches;
    more?.addEventListener?.('change', (e) => {
      this.systemContrast = e.matches;
      this.#apply();
    });
    still?.addEventListener?.('change', (e) => (this.reducedMotion = e.matches));
    this.#apply();
  }

  get contrast(): Contrast {
    return this.#contrast ?? (this.systemContrast ? 'high' : 'normal');
  }
  get text(): TextSize {
    return this.#text;
  }
  setContrast(c: Contrast) {
    this.#contrast = c;
    localStorage.setItem(CONTRAST_KEY, c);
    this.#apply();
  }
  setText(t: TextSize) {
    this.#text = t;
    localStorage.setItem(TEXT_KEY, t);
    this.#apply();
  }
  /** For scrollIntoView / scrollTo: never smooth when the system asks for less motion. */
  get scrollBehavior(): ScrollBehavior {
    return this.reducedMotion ? 'auto' : 'smooth';
  }

  #apply() {
    if (typeof document === 'undefined') return;
    const root = document.documentElement;
    if (this.contrast === 'high') root.dataset.contrast = 'high';
    else delete root.dataset.contrast;
    if (this.#text === 'large') root.dataset.text = 'large';
    else delete root.dataset.text;
  }
}

export const preferences = new Preferences();
