// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fitTitle, posterSvg, splitTitle } from '../../server/domain/poster.js';
import { buildDemoCatalog } from '../../server/seed/demo.js';

const movies = buildDemoCatalog().movies;
const parse = (svg: string) => new DOMParser().parseFromString(svg, 'image/svg+xml');
const parseErrors = (doc: Document) => doc.getElementsByTagName('parsererror').length;

describe('generated posters', () => {
  it('every demo poster is a well-formed SVG document, 2:3, titled with the movie', () => {
    for (const m of movies) {
      const doc = parse(posterSvg(m));
      expect(parseErrors(doc), m.title).toBe(0);
      const svg = doc.documentElement;
      expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
      expect(svg.getAttribute('viewBox')).toBe('0 0 200 300');
      expect(svg.querySelector('title')?.textContent).toBe(m.title);
    }
  });

  it('are deterministic: the same movie gives the same bytes', () => {
    for (const m of movies) expect(posterSvg({ ...m })).toBe(posterSvg(m));
  });

  it('are distinct: no two demo movies share a poster or a background colour', () => {
    const svgs = movies.map((m) => posterSvg(m));
    expect(new Set(svgs).size).toBe(movies.length);
    const backgrounds = svgs.map((s) => /<stop offset="0" stop-color="(#[0-9a-f]{6})"/.exec(s)![1]);
    expect(new Set(backgrounds).size).toBe(movies.length);
  });

  it('a title with <script>&"\' in it is text: no script element, and the title reads back exactly', () => {
    const title = `<script>alert("x")</script> & 'Friends'`;
    const svg = posterSvg({ id: 'evil', title, genres: ['Action'], certificate: 'A"><script>', runtimeMinutes: 90 });
    const doc = parse(svg);
    expect(parseErrors(doc)).toBe(0);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.querySelector('title')!.textContent).toBe(title);
    const shown = [...doc.querySelectorAll('tspan')].map((t) => t.textContent).join(' ');
    expect(shown).toBe(title.toUpperCase());
    expect(svg).not.toContain('<script');
  });

  it('the genre line and the runtime are the words given (a language other than English), escaped; English by default', () => {
    const movie = { id: 'w', title: 'Words', genres: ['Action', 'Drama'], certificate: 'UA', runtimeMinutes: 125 };
    expect(posterSvg(movie)).toContain('ACTION · DRAMA');
    expect(posterSvg(movie)).toContain('>2h 05m<');
    expect(posterSvg({ ...movie, runtimeMinutes: 45 })).toContain('>45m<');
    const words = { genre: (g: string) => (g === 'Action' ? 'एक्शन' : '<b>'), runtime: (h: number, m: number) => `${h} घं ${m} मि` };
    const svg = posterSvg(movie, words);
    expect(svg).toContain('एक्शन · &lt;B&gt;');
    expect(svg).toContain('>2 घं 5 मि<');
    expect(svg).not.toContain('ACTION');
  });

  it('characters XML cannot hold (control characters) are dropped, leaving a valid document', () => {
    const doc = parse(posterSvg({ id: 'ctl', title: 'Bad\u0001Title\u001F', genres: [], certificate: 'U', runtimeMinutes: 100 }));
    expect(parseErrors(doc)).toBe(0);
    expect(doc.querySelector('title')!.textContent).toBe('BadTitle');
  });

  it('split a title into main and subtitle at " - " or ": ", and keep a short number with the word before it', () => {
    expect(splitTitle('Mission: Impossible - Dead Reckoning')).toEqual({ main: 'Mission: Impossible', sub: 'Dead Reckoning' });
    expect(splitTitle('Baahubali 2: The Conclusion')).toEqual({ main: 'Baahubali 2', sub: 'The Conclusion' });
    expect(splitTitle('Mad^2')).toEqual({ main: 'Mad²', sub: '' });
    expect(fitTitle('Tiger 3').lines).toEqual(['TIGER 3']);
  });

  it('titles are large: at least 20 units of 200 wide (16 px on a 160 px card), in at most three lines', () => {
    for (const m of movies) {
      const { size, lines } = fitTitle(splitTitle(m.title).main);
      expect(size, m.title).toBeGreaterThanOrEqual(20);
      expect(lines.length, m.title).toBeLessThanOrEqual(3);
    }
  });
});
