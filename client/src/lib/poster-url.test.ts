import { describe, expect, it } from 'vitest';
import { generatedPosterUrl } from './poster-url.js';

describe('generatedPosterUrl', () => {
  it('keeps the API URL (with its version) in English and adds lang=hi or lang=te otherwise', () => {
    const movie = { id: 'rrr', posterUrl: '/api/movies/rrr/poster.svg?v=abc' };
    expect(generatedPosterUrl(movie, 'en')).toBe('/api/movies/rrr/poster.svg?v=abc');
    expect(generatedPosterUrl(movie, 'hi')).toBe('/api/movies/rrr/poster.svg?v=abc&lang=hi');
    expect(generatedPosterUrl({ id: 'a b' }, 'te')).toBe('/api/movies/a%20b/poster.svg?lang=te');
  });
});
