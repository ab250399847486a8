/** What every small form needs: a busy flag, the server's typed problem, and its field messages. */
import type { ApiError } from '../../../protocol/errors.js';
import { ApiFailure } from './api.js';
import { t } from './i18n.svelte.js';

export class FormState {
  busy = $state(false);
  problem = $state<ApiError | null>(null);

  /** Runs `action` once at a time; an ApiFailure becomes `problem`. */
  async run(action: () => Promise<void>) {
    if (this.busy) return;
    this.busy = true;
    this.problem = null;
    try {
      await action();
    } catch (err) {
      this.problem = err instanceof ApiFailure ? err.error : { code: 'INTERNAL', message: t('error') };
    } finally {
      this.busy = false;
    }
  }

  field(path: string): string | undefined {
    return this.problem?.details?.find((d) => d.path === path)?.message;
  }
}
