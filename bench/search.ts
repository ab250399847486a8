/**
 * Search speed over the whole demo catalogue: index build time, then every query typed one
 * letter at a time (as the box sends them), p50/p99 per query. `--scale N` copies the
 * catalogue N times (renamed) to see how it grows; `--rounds N` repeats the set.
 */
import { performance } from 'node:perf_hooks';
import { buildSearchIndex, type SearchCatalogue } from '../server/domain/search.js';
import { buildDemoCatalog } from '../server/seed/demo.js';
import { arg, summary } from './lib.js';

const scale = Number(arg('scale', '1'));
const rounds = Number(arg('rounds', '20'));
const queries = ['bahubali', 'pushpa', 'pvr inorbit', 'gachibowli', 'rrr', 'kgf 2', 'oppenhiemer', 'telugu', 'madhapur', 'bangalore', 'inox', 'action', 'sita raman', 'mission impossible', 'stree', 'cinepolis andheri', 'hitech city', '2018', 'avatr', 'koramangala'];

const demo = buildDemoCatalog();
const copies = (n: number): SearchCatalogue => ({
  cities: demo.cities,
  movies: Array.from({ length: n }, (_, i) => demo.movies.map((m) => ({ ...m, id: `${m.id}-${i}`, title: i ? `${m.title} ${i}` : m.title }))).flat(),
  theatres: Array.from({ length: n }, (_, i) => demo.theatres.map((t) => ({ ...t, id: `${t.id}-${i}`, name: i ? `${t.name} ${i}` : t.name }))).flat(),
});
const catalogue = copies(scale);
const showing = new Set(demo.plays.filter((p) => p.theatre.cityId === 'hyderabad').map((p) => p.movie.id));

const builds: number[] = [];
let index = buildSearchIndex(catalogue);
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  index = buildSearchIndex(catalogue);
  builds.push(performance.now() - t0);
}

// As typed: "b", "ba", "bah", ... then the whole query; with and without a city.
const typed = queries.flatMap((q) => Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1)).filter((s) => s.trim()));
for (const q of typed) index.search(q, { cityId: 'hyderabad', showing }); // JIT warm-up

const perQuery = new Map<string, number[]>();
const all: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const q of typed) {
    const t0 = performance.now();
    index.search(q, r % 2 ? { showing } : { cityId: 'hyderabad', showing });
    const ms = performance.now() - t0;
    all.push(ms);
    if (queries.includes(q)) perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
  }
}

const f = (n: number) => n.toFixed(3);
console.log(`catalogue: ${catalogue.movies.length} movies, ${catalogue.theatres.length} theatres, ${catalogue.cities.length} cities (scale ${scale})`);
const b = summary(builds);
console.log(`index build: p50 ${f(b.p50)} ms, max ${f(b.max)} ms (${b.n} builds)`);
console.log('\n| query | p50 ms | p99 ms | first movie | first theatre |\n|---|---|---|---|---|');
for (const q of queries) {
  const s = summary(perQuery.get(q)!);
  const r = index.search(q, { cityId: 'hyderabad', showing });
  console.log(`| ${q} | ${f(s.p50)} | ${f(s.p99)} | ${r.movies[0]?.title ?? ''} | ${r.theatres[0]?.name ?? ''} |`);
}
const s = summary(all);
console.log(`\nall ${s.n} queries as typed (${typed.length} prefixes x ${rounds} rounds): p50 ${f(s.p50)} ms, p95 ${f(s.p95)} ms, p99 ${f(s.p99)} ms, max ${f(s.max)} ms (target p99 < 20 ms: ${s.p99 < 20 ? 'met' : 'MISSED'})`);
