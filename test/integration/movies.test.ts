/** The movie API: details, poster URLs, the generated poster's caching, and older stores filled in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../protocol/index.js';
import { buildDemoCatalog, SCHEMA_VERSION, seedDemo } from '../../server/seed/demo.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demoData: true });
});
afterAll(async () => {
  await h?.close();
});

const getMovies = async () => ((await (await fetch(`${h.url}/api/movies`)).json()) as { movies: Movie[] }).movies;

describe('movie details and posters', () => {
  it('GET /api/movies gives every demo movie its synopsis, cast, crew (director first) and a versioned poster URL', async () => {
    const movies = await getMovies();
    expect(movies).toHaveLength(30);
    for (const m of movies) {
      expect(m.synopsis!.length, m.title).toBeGreaterThan(60);
      expect(m.cast!.length, m.title).toBeGreaterThanOrEqual(4);
      expect(m.crew![0], m.title).toMatchObject({ role: 'director' });
      expect(m.posterUrl, m.title).toMatch(new RegExp(`^/api/movies/${m.id}/poster\\.svg\\?v=[\\w-]{16}$`));
    }
    expect(movies.find((m) => m.id === 'rrr')).toMatchObject({ cast: expect.arrayContaining(['Ram Charan']), crew: expect.arrayContaining([{ role: 'director', name: 'S. S. Rajamouli' }]) });
  });

  it('GET /api/movies/:id answers one movie with its details, and 404 for an unknown one', async () => {
    const r = await fetch(`${h.url}/api/movies/oppenheimer`);
    expect(r.status).toBe(200);
    const { movie } = (await r.json()) as { movie: Movie };
    expect(movie).toMatchObject({ title: 'Oppenheimer', runtimeMinutes: 180, certificate: 'UA', languages: ['English', 'Hindi'] });
    expect(movie.synopsis).toContain('Oppenheimer');
    expect((await fetch(`${h.url}/api/movies/no-such-movie`)).status).toBe(404);
    expect((await fetch(`${h.url}/api/movies/no-such-movie/poster.svg`)).status).toBe(404);
  });

  it('the poster at its versioned URL is an SVG cached for good; without the version it is revalidated; a matching ETag answers 304', async () => {
    const rrr = (await getMovies()).find((m) => m.id === 'rrr')!;
    const r = await fetch(`${h.url}${rrr.posterUrl}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = r.headers.get('etag')!;
    expect(etag).toBe(`"${new URL(rrr.posterUrl!, h.url).searchParams.get('v')}"`);
    const svg = await r.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title>RRR</title>');

    const plain = await fetch(`${h.url}/api/movies/rrr/poster.svg`);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(await plain.text()).toBe(svg);
    const again = await fetch(`${h.url}/api/movies/rrr/poster.svg`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('the poster speaks the page language: lang=hi and lang=te name the genres and runtime in Hindi and Telugu, each with its own ETag; an unknown lang is a VALIDATION error', async () => {
    const rrr = (await getMovies()).find((m) => m.id === 'rrr')!;
    const fetched = await Promise.all(['', '&lang=hi', '&lang=te'].map((q) => fetch(`${h.url}${rrr.posterUrl}${q}`)));
    const [en, hi, te] = fetched as [Response, Response, Response];
    const [enSvg, hiSvg, teSvg] = await Promise.all(fetched.map((r) => r.text()));
    expect(enSvg).toContain('ACTION');
    expect(enSvg).toContain('3h 07m');
    expect(hiSvg).toContain('एक्शन');
    expect(hiSvg).toContain('3 घं 07 मि');
    expect(teSvg).toContain('యాక్షన్');
    expect(teSvg).toContain('3 గం 07 ని');
    for (const svg of [hiSvg, teSvg]) expect(svg).not.toContain('ACTION');
    expect(new Set(fetched.map((r) => r.headers.get('etag'))).size).toBe(3);
    expect(en.status).toBe(200);
    expect(te.status).toBe(200);
    expect(hi.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await fetch(`${h.url}${rrr.posterUrl}&lang=hi`, { headers: { 'if-none-match': hi.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const bad = await fetch(`${h.url}/api/movies/rrr/poster.svg?lang=fr`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
  });

  it('different movies get different posters', async () => {
    const [a, b] = await Promise.all(['rrr', 'pathaan'].map(async (id) => (await fetch(`${h.url}/api/movies/${id}/poster.svg`)).text()));
    expect(a).not.toBe(b);
  });
});

describe('a store seeded before movies had details', () => {
  it('gets synopses, cast and crew on its next start, keeping what it had; a third start writes nothing', async () => {
    const old = await startHarness();
    try {
      const store = old.app.stores.catalog;
      const before = buildDemoCatalog().movies.map(({ synopsis: _s, cast: _c, crew: _w, ...facts }) => facts);
      await store.putMovies(before.map((m) => (m.id === 'rrr' ? { ...m, languages: ['Telugu'] } : m)));
      await store.setSchemaVersion(SCHEMA_VERSION);
      const said: string[] = [];
      await seedDemo(store, old.clock.now(), (msg) => said.push(msg));
      expect(said).toContain('adding synopses, cast and crew to 30 movies');
      const rrr = (await store.movies()).find((m) => m.id === 'rrr')!;
      expect(rrr.languages).toEqual(['Telugu']);
      expect(rrr.synopsis).toMatch(/Bheem/);
      said.length = 0;
      await seedDemo(store, old.clock.now(), (msg) => said.push(msg));
      expect(said.filter((m) => m.includes('synopses'))).toEqual([]);
    } finally {
      await old.close();
    }
  });
});
