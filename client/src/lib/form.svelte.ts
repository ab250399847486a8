/**
 * What every small form needs: a busy flag, the server's typed problem, and field messages
 * in the user's language. With the request's schema (the same one the server validates
 * with), a field is checked when it loses focus and again as it is corrected; submitting
 * checks every field first, and focus moves to the first one that is wrong.
 */
import { tick } from 'svelte';
import type { z } from 'zod';
import type { ApiError, Problem } from '../../../protocol/errors.js';
import { problemsOf } from '../../../protocol/problems.js';
import { ApiFailure } from './api.js';
import { detailText } from './problems.js';

type Shape = Record<string, z.ZodType>;

const isSubmit = (el: EventTarget | null) => el instanceof Element && !!el.closest('button[type=submit], input[type=submit]');
/** When a submit button was last pressed (pointer down comes before the field's blur). */
let pressedSubmitAt = -Infinity;
if (typeof document !== 'undefined') {
  document.addEventListener('pointerdown', (e) => isSubmit(e.target) && (pressedSubmitAt = performance.now()), true);
}

export class FormState {
  busy = $state(false);
  problem = $state<ApiError | null>(null);
  /** Problems found here before anything was sent, by field. */
  local = $state<Record<string, Problem | undefined>>({});

  constructor(
    private readonly shape: Shape = {},
    private readonly values: () => Record<string, unknown> = () => ({}),
  ) {}

  /** Checks one field against its schema; a fresh check replaces what the server said about it. */
  check(path: string): boolean {
    const schema = this.shape[path];
    if (!schema) return true;
    const value = this.values()[path];
    const r = schema.safeParse(value);
    this.local[path] = r.success ? undefined : { ...problemsOf(r.error, value, 1)[0]!, path };
    this.#forgetServer(path);
    return r.success;
  }

  /**
   * The field was left. Not checked when the user is on the way to the submit button: that
   * checks every field anyway, and a message appearing now would move the button away from
   * under the pointer, so the click would miss it.
   */
  left(path: string, e?: FocusEvent) {
    if (isSubmit(e?.relatedTarget ?? null) || performance.now() - pressedSubmitAt < 1000) return;
    this.check(path);
  }

  /** Re-checks a field as it is typed into, once it was found wrong (so the message goes as soon as it is right). */
  recheck(path: string) {
    if (this.local[path] || this.problem?.details?.some((d) => d.path === path)) this.check(path);
  }

  /**
   * Checks every field; if all are fine, runs `action` once at a time. An ApiFailure becomes
   * `problem`. Either way focus moves to the first field with a problem.
   */
  async submit(action: () => Promise<void>) {
    if (this.busy) return;
    const bad = Object.keys(this.shape).filter((path) => !this.check(path));
    if (bad.length) return this.#focusFirstProblem();
    this.busy = true;
    this.problem = null;
    try {
      await action();
    } catch (err) {
      this.problem = err instanceof ApiFailure ? err.error : { code: 'INTERNAL', message: String(err) };
    } finally {
      this.busy = false;
    }
    if (this.problem?.details?.length) await this.#focusFirstProblem();
  }

  /** For forms without fields to check: runs `action`, keeping its problem. */
  run(action: () => Promise<void>) {
    return this.submit(action);
  }

  /** The sentence for a field's problem, if it has one. */
  field(path: string): string | undefined {
    const p = this.local[path] ?? this.problem?.details?.find((d) => d.path === path);
    return p ? detailText(p) : undefined;
  }

  #forgetServer(path: string) {
    const details = this.problem?.details;
    if (!details?.some((d) => d.path === path)) return;
    const rest = details.filter((d) => d.path !== path);
    this.problem = rest.length ? { ...this.problem!, details: rest } : null;
  }

  async #focusFirstProblem() {
    await tick();
    const fields = [...document.querySelectorAll<HTMLElement>('input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]')];
    fields[0]?.focus();
  }
}
