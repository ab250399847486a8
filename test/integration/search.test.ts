/** GET /api/search over the seeded demo catalogue in DynamoDB Local. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchResults } from '../../protocol/index.js';
import { createReviewStore } from '../../server/adapters/dynamo/review-store.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demoData: true });
  // Two viewers rated RRR (written straight to the store: who may review is the reviews suite's business).
  const reviews = createReviewStore(h.dynamo);
  const at = new Date().toISOString();
  await reviews.put({ movieId: 'rrr', authorId: 'u1', authorName: 'Asha', rating: 5, text: 'Loved it' }, at);
  await reviews.put({ movieId: 'rrr', authorId: 'u2', authorName: 'Ravi', rating: 4, text: 'Good' }, at);
}, 120_000);
afterAll(() => h.close());

const get = async (query: string) => {
  const res = await fetch(`${h.url}/api/search?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /api/search', () => {
  it('"bahubali" in Hyderabad answers Baahubali 2 first, showing there, in the contract shape', async () => {
    const { status, body } = await get('q=bahubali&city=hyderabad');
    expect(status).toBe(200);
    const r = SearchResults.parse(body);
    expect(r.movies[0]).toEqual({
      id: 'baahubali-2-the-conclusion',
      title: 'Baahubali 2: The Conclusion',
      languages: expect.any(Array),
      genres: ['Action', 'Fantasy'],
      showing: true,
      rating: null,
    });
  });

  it('carries the viewers\' rating of a movie that has one ("rrr": 4.5 from 2)', async () => {
    const r = SearchResults.parse((await get('q=rrr&city=hyderabad')).body);
    expect(r.movies[0]).toMatchObject({ title: 'RRR', rating: { average: 4.5, count: 2 } });
  });

  it('"pvr inorbit" answers the PVR Inorbit theatre first with its city', async () => {
    const r = SearchResults.parse((await get('q=pvr%20inorbit&city=Hyderabad')).body);
    expect(r.theatres[0]).toMatchObject({ name: 'PVR Inorbit Mall, Madhapur', city: { id: 'hyderabad', name: 'Hyderabad' } });
    expect(r.theatres.every((t) => t.city.id === 'hyderabad')).toBe(true);
  });

  it('marks a movie not showing in the chosen city (Oppenheimer is not on in Hyderabad) and showing in one where it is', async () => {
    const hyd = SearchResults.parse((await get('q=oppenhiemer&city=hyderabad')).body);
    const mum = SearchResults.parse((await get('q=oppenhiemer&city=mumbai')).body);
    expect(hyd.movies[0]).toMatchObject({ title: 'Oppenheimer', showing: false });
    expect(mum.movies[0]).toMatchObject({ title: 'Oppenheimer', showing: true });
  });

  it('without a city searches the theatres of every city', async () => {
    const r = SearchResults.parse((await get('q=inorbit')).body);
    expect(new Set(r.theatres.map((t) => t.city.id))).toEqual(new Set(['hyderabad', 'mumbai']));
  });

  it.each([
    ['no q', ''],
    ['an empty q', 'q='],
    ['a blank q', 'q=%20%20'],
    ['a q over 100 characters', `q=${'a'.repeat(101)}`],
    ['a q given twice', 'q=a&q=b'],
  ])('answers 400 VALIDATION for %s', async (_name, query) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect((body.error as { code: string }).code).toBe('VALIDATION');
  });

  it('answers 404 for a city that does not exist', async () => {
    const { status, body } = await get('q=rrr&city=atlantis');
    expect(status).toBe(404);
    expect((body.error as { code: string }).code).toBe('NOT_FOUND');
  });
});
