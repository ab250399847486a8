/** Every movie's rating summary, for cards: fetched once per page load (GET /api/ratings), shared by all cards. */
import type { RatingSummary } from '../../../protocol/reviews.js';
import { loadRatings } from './reviews.js';

class Ratings {
  byMovie = $state.raw<Record<string, RatingSummary>>({});
  #loading: Promise<void> | null = null;

  /** Starts the one fetch (later calls reuse it); after a failure the next call tries again. */
  load(): Promise<void> {
    this.#loading ??= loadRatings()
      .then((r) => void (this.byMovie = r))
      .catch(() => void (this.#loading = null));
    return this.#loading;
  }
}

export const ratings = new Ratings();
