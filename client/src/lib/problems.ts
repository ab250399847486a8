import type { ApiError } from '../../../protocol/errors.js';
import { t } from './i18n.svelte.js';
import { session } from './session.svelte.js';

/** A user-facing sentence for an error, in the current UI language where we have one. */
export function problemText(e: ApiError): string {
  switch (e.code) {
    case 'SEAT_TAKEN':
      return t('seatTaken', { seats: (e.seatIds ?? []).join(', ') });
    case 'HOLD_EXPIRED':
      return t('expired');
    case 'SHOW_CLOSED':
      return t('showClosed');
    case 'TICKET_USED':
      return t('ticketUsedError');
    case 'EMAIL_NOT_VERIFIED':
      return t('mustVerify', { email: session.user?.email ?? '' });
    default:
      return e.message || t('error');
  }
}
