import { describe, expect, it } from 'vitest';
import { areaOf, buildSearchIndex, normaliseTerm, type SearchContext } from '../../server/domain/search.js';
import { toLatin } from '../../server/domain/transliterate.js';
import { createSearch } from '../../server/services/search.js';
import { buildDemoCatalog } from '../../server/seed/demo.js';
import type { ShowRecord } from '../../server/ports.js';

const demo = buildDemoCatalog();
const index = buildSearchIndex(demo);
const showingIn = (cityId: string) => new Set(demo.plays.filter((p) => p.theatre.cityId === cityId).map((p) => p.movie.id));
const inHyderabad: SearchContext = { cityId: 'hyderabad', showing: showingIn('hyderabad') };
const movieTitles = (q: string, ctx = inHyderabad) => index.search(q, ctx).movies.map((m) => m.title);
const theatreNames = (q: string, ctx = inHyderabad) => index.search(q, ctx).theatres.map((t) => t.name);

describe('normaliseTerm', () => {
  it('writes transliterated spellings one way: doubled vowels, aspirates and doubled letters', () => {
    expect(normaliseTerm('Baahubali')).toBe(normaliseTerm('bahubali'));
    expect(normaliseTerm('Pushpa')).toBe(normaliseTerm('puspa'));
    expect(normaliseTerm('Sreeleela')).toBe(normaliseTerm('srileela'));
    expect(normaliseTerm('Karthikeya')).toBe(normaliseTerm('kartikeya'));
    expect(normaliseTerm('Cinépolis')).toBe('cinepolis');
  });
  it('keeps digits and a run of one letter ("RRR" does not become "r")', () => {
    expect(normaliseTerm('2018')).toBe('2018');
    expect(normaliseTerm('RRR')).toBe('rrr');
  });
  it('reads the area from the part of a theatre name after the comma', () => {
    expect(areaOf('PVR Inorbit Mall, Madhapur')).toBe('Madhapur');
    expect(areaOf('PVR Kukatpally')).toBe('');
  });
});

describe('toLatin', () => {
  it('writes Devanagari and Telugu in Latin letters as names are typed', () => {
    expect(toLatin('बाहुबली')).toBe('baahubalii');
    expect(toLatin('బాహుబలి')).toBe('baahubali');
    expect(toLatin('पुष्पा')).toBe('pushpaa'); // virama: no "a" between sh and p
    expect(toLatin('जैलर')).toBe('jailar');
    expect(toLatin('జైలర్')).toBe('jailar'); // Telugu ై is one sign
    expect(toLatin('मुंबई')).toBe('mumbaii'); // anusvara before b
    expect(toLatin('राम')).toBe('raam'); // Hindi drops the last "a"
    expect(toLatin('రామ')).toBe('raama'); // Telugu keeps it
  });
  it('leaves Latin text alone', () => {
    expect(toLatin('Baahubali')).toBe('Baahubali');
  });
});

describe('search over the demo catalogue', () => {
  it.each([
    ['बाहुबली', 'Baahubali 2: The Conclusion'],
    ['బాహుబలి', 'Baahubali 2: The Conclusion'],
    ['पुष्पा', 'Pushpa: The Rise'],
    ['జైలర్', 'Jailer'],
    ['सीता रामम', 'Sita Ramam'],
  ])('"%s" typed in its own script finds %s first', (q, title) => {
    expect(movieTitles(q)[0]).toBe(title);
  });

  it('"गाचीबोवली" and "గచ్చిబౌలి" find the AMB Cinemas, Gachibowli', () => {
    expect(theatreNames('गाचीबोवली')[0]).toBe('AMB Cinemas, Gachibowli');
    expect(theatreNames('గచ్చిబౌలి')[0]).toBe('AMB Cinemas, Gachibowli');
  });

  it.each([
    ['bahubali', 'Baahubali 2: The Conclusion'],
    ['pushpa', 'Pushpa: The Rise'],
    ['rrr', 'RRR'],
    ['kgf 2', 'KGF: Chapter 2'],
    ['oppenhiemer', 'Oppenheimer'],
    ['baah', 'Baahubali 2: The Conclusion'],
  ])('"%s" finds %s first', (q, title) => {
    expect(movieTitles(q, { showing: new Set() })[0]).toBe(title);
    expect(movieTitles(q)[0]).toBe(title);
  });

  it.each([
    ['pvr inorbit', 'PVR Inorbit Mall, Madhapur'],
    ['gachibowli', 'AMB Cinemas, Gachibowli'],
    ['madhapur', 'PVR Inorbit Mall, Madhapur'],
    ['prasad', 'Prasads Multiplex, Necklace Road'],
  ])('"%s" finds the theatre %s first', (q, name) => {
    expect(theatreNames(q)[0]).toBe(name);
  });

  it('finds every theatre of an area, by the area in its name or its address ("gachibowli": AMB and Platinum Movietime)', () => {
    expect(theatreNames('gachibowli')).toEqual(['AMB Cinemas, Gachibowli', 'Platinum Movietime']);
  });

  it('a city name finds the theatres of that city when no city is chosen', () => {
    const names = theatreNames('bangalore', { showing: new Set() });
    const bangalore = new Set(demo.theatres.filter((t) => t.cityId === 'bangalore').map((t) => t.name));
    expect(names.length).toBe(10);
    expect(names.every((n) => bangalore.has(n))).toBe(true);
  });

  it('with a city chosen, lists theatres of that city only ("inorbit" in Hyderabad is not the Mumbai one)', () => {
    expect(theatreNames('inorbit')).toEqual(['PVR Inorbit Mall, Madhapur']);
    expect(theatreNames('inorbit', { cityId: 'mumbai', showing: showingIn('mumbai') })).toEqual(['INOX Megaplex, Inorbit Mall']);
    expect(theatreNames('inorbit', { showing: new Set() }).sort()).toEqual(['INOX Megaplex, Inorbit Mall', 'PVR Inorbit Mall, Madhapur']);
  });

  it('ranks a title the query names (as a prefix) above a fuzzy or other-field match', () => {
    // "leo" is also close to nothing else, but "mad" starts "Mad^2" and "Madhapur" alike; titles come first.
    expect(movieTitles('mad')[0]).toBe('Mad^2');
    expect(movieTitles('stree')[0]).toBe('Stree 2');
  });

  it('ranks movies showing in the chosen city above the others', () => {
    // "2" is in several titles: in Delhi, Karthikeya 2 (Hyderabad and Mumbai only) comes after those showing in Delhi.
    const delhi = index.search('2', { cityId: 'delhi', showing: showingIn('delhi') }).movies;
    const firstNotShowing = delhi.findIndex((m) => !m.showing);
    expect(firstNotShowing).toBeGreaterThan(0);
    expect(delhi.slice(firstNotShowing).every((m) => !m.showing)).toBe(true);
    expect(delhi.find((m) => m.title === 'Karthikeya 2')?.showing).toBe(false);
    expect(delhi.find((m) => m.title === 'KGF: Chapter 2')?.showing).toBe(true);
  });

  it('finds movies by language and genre too', () => {
    expect(movieTitles('telugu').length).toBeGreaterThan(3);
    expect(index.search('horror', inHyderabad).movies.map((m) => m.title)).toContain('Romancham');
  });

  it('answers nothing for a query of only punctuation, and at most 10 of each', () => {
    expect(index.search('?!', inHyderabad)).toEqual({ movies: [], theatres: [] });
    const all = index.search('a e i o u pvr inox', { showing: new Set() });
    expect(all.movies.length).toBeLessThanOrEqual(10);
    expect(all.theatres.length).toBe(10);
  });
});

describe('the search service', () => {
  function rig() {
    let movies = new Map(demo.movies.map((m) => [m.id, m]));
    const theatres = new Map(demo.theatres.map((t) => [t.id, t]));
    let showsOnCalls = 0;
    let now = 1_000;
    const show = (movieId: string, cityId: string, startsAt: number, status: ShowRecord['status'] = 'scheduled') => ({ movieId, cityId, startsAt, status }) as ShowRecord;
    const search = createSearch({
      catalog: {
        cities: async () => demo.cities,
        movies: async () => movies,
        theatres: async () => theatres,
        datesOf: () => ['2026-12-02', '2026-12-03'],
      },
      store: {
        showsOn: async (cityId, date) => {
          showsOnCalls++;
          if (cityId !== 'hyderabad' || date !== '2026-12-03') return [];
          return [show('rrr', 'hyderabad', 5_000), show('leo', 'hyderabad', 500), show('jailer', 'hyderabad', 5_000, 'cancelled')];
        },
      },
      clock: { now: () => now },
    });
    return { search, calls: () => showsOnCalls, replaceMovies: (m: typeof movies) => (movies = m), advance: (ms: number) => (now += ms) };
  }

  it('marks as showing only movies with a scheduled show still to come in the city', async () => {
    const { search } = rig();
    const showing = async (q: string) => (await search.search(q, 'Hyderabad'))!.movies.find((m) => m.title.toLowerCase() === q)?.showing;
    expect(await showing('rrr')).toBe(true);
    expect(await showing('leo')).toBe(false); // already started
    expect(await showing('jailer')).toBe(false); // cancelled
  });

  it('reads the shows of a city once and reuses them for the next queries', async () => {
    const { search, calls } = rig();
    await search.search('rrr', 'hyderabad');
    await search.search('leo', 'hyderabad');
    expect(calls()).toBe(2); // two dates, once
  });

  it('after the reuse time, answers with the last shows at once while it reads them again', async () => {
    const { search, calls, advance } = rig();
    await search.search('rrr', 'hyderabad');
    advance(61_000);
    expect((await search.search('rrr', 'hyderabad'))!.movies[0]).toMatchObject({ title: 'RRR', showing: true });
    expect(calls()).toBe(4);
  });

  it('answers null for an unknown city', async () => {
    expect(await rig().search.search('rrr', 'Atlantis')).toBeNull();
  });

  it('rebuilds the index when the catalogue hands out a new list of movies', async () => {
    const r = rig();
    expect((await r.search.search('brand new', 'hyderabad'))!.movies).toEqual([]);
    const added = { id: 'brand-new', title: 'Brand New Film', languages: ['Telugu'], genres: ['Drama'], runtimeMinutes: 120, certificate: 'U' };
    r.replaceMovies(new Map([...demo.movies.map((m) => [m.id, m] as const), ['brand-new', added]]));
    expect((await r.search.search('brand new', 'hyderabad'))!.movies[0]?.title).toBe('Brand New Film');
  });
});
