import { render } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecommendationsResponse } from '../../../protocol/recommendations.js';

let answer: RecommendationsResponse = { movies: [] };
const calls: string[] = [];
const fakeSession: { user: { id: string } | null } = { user: { id: 'u1' } };
vi.mock('../lib/api.js', () => ({ api: vi.fn(async (path: string) => (calls.push(path), answer)) }));
vi.mock('../lib/session.svelte.js', () => ({ session: fakeSession }));
const { default: ForYou } = await import('./ForYou.svelte');
const { catalog } = await import('../lib/catalog.svelte.js');
const { i18n } = await import('../lib/i18n.svelte.js');

const movie = (id: string, title: string, reason: RecommendationsResponse['movies'][number]['reason']) => ({ id, title, languages: ['Telugu'], genres: ['Drama'], reason });
const four: RecommendationsResponse = {
  movies: [
    movie('sita-ramam', 'Sita Ramam', { kind: 'because_you_watched', movieId: 'rrr', title: 'RRR' }),
    movie('pushpa', 'Pushpa', { kind: 'popular_in_city', cityId: 'hyderabad', cityName: 'Hyderabad' }),
    movie('bimbisara', 'Bimbisara', { kind: 'your_language', language: 'Telugu' }),
    movie('mad-2', 'Mad^2', { kind: 'similar_genre', genre: 'Drama' }),
    movie('kaithi', 'Kaithi', { kind: 'showing_in_city', cityId: 'hyderabad', cityName: 'Hyderabad' }),
  ],
};
const settle = async () => {
  for (let i = 0; i < 3; i++) await tick();
  await new Promise((r) => setTimeout(r, 0));
  await tick();
};
const reasons = () => [...document.querySelectorAll('.reason')].map((p) => p.textContent);

beforeEach(() => {
  catalog.cityId = 'hyderabad';
  fakeSession.user = { id: 'u1' };
  calls.length = 0;
  answer = four;
});
afterEach(() => {
  i18n.set('en');
  document.body.replaceChildren();
});

describe('For you', () => {
  it('lists each movie under a "For you" heading with its poster, link and reason in English', async () => {
    render(ForYou);
    await settle();
    expect(calls).toEqual(['/api/me/recommendations?city=hyderabad&lang=en']);
    const section = document.querySelector('section[aria-labelledby="for-you-title"]')!;
    expect(section.querySelector('h2')!.textContent).toBe('For you');
    expect(section.querySelectorAll('ul > li')).toHaveLength(5);
    expect(section.querySelector('li a')!.getAttribute('href')).toBe('/movies/sita-ramam');
    expect(section.querySelector('li img')!.getAttribute('src')).toBe('/api/movies/sita-ramam/poster.svg');
    expect(reasons()).toEqual(['Because you watched RRR', 'Popular in Hyderabad this week', 'In Telugu, your language', 'More Drama', 'Now showing in Hyderabad']);
  });

  it('words the reasons in Hindi and Telugu, with the city, language and genre named in them', async () => {
    i18n.set('hi');
    render(ForYou);
    await settle();
    expect(calls.at(-1)).toBe('/api/me/recommendations?city=hyderabad&lang=hi');
    expect(reasons()[0]).toBe('क्योंकि आपने RRR देखी');
    expect(reasons()[1]).toBe('इस हफ़्ते हैदराबाद में लोकप्रिय');
    expect(reasons()[2]).toBe('तेलुगु में, आपकी भाषा');
    document.body.replaceChildren();
    i18n.set('te');
    render(ForYou);
    await settle();
    expect(reasons()[0]).toBe('మీరు RRR చూశారు కాబట్టి');
    expect(document.querySelector('h2')!.textContent).toBe('మీ కోసం');
  });

  it('is not there signed out (nothing asked) or when there is nothing to recommend', async () => {
    fakeSession.user = null;
    render(ForYou);
    await settle();
    expect(calls).toEqual([]);
    expect(document.querySelector('[data-testid="for-you"]')).toBeNull();
    document.body.replaceChildren();
    fakeSession.user = { id: 'u1' };
    answer = { movies: [] };
    render(ForYou);
    await settle();
    expect(calls).toHaveLength(1);
    expect(document.querySelector('[data-testid="for-you"]')).toBeNull();
  });
});
