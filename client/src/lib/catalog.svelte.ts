/** Cities and movies (small, cached for the session) and the remembered city. */
import type { CrewMember } from '../../../protocol/movies.js';
import { api } from './api.js';

export interface CityInfo {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
}
export interface MovieInfo {
  id: string;
  title: string;
  languages: string[];
  genres: string[];
  runtimeMinutes: number;
  certificate: string;
  synopsis?: string;
  cast?: string[];
  crew?: CrewMember[];
  trailerUrl?: string;
  posterUrl?: string;
  /** Uploaded poster sizes (WebP), narrowest first. */
  posterImages?: { url: string; width: number; height: number }[];
}

const CITY_KEY = 'mm.city';

class Catalog {
  cities = $state.raw<CityInfo[]>([]);
  movies = $state.raw<Map<string, MovieInfo>>(new Map());
  cityId = $state<string | null>(typeof localStorage === 'undefined' ? null : localStorage.getItem(CITY_KEY));
  private loaded: Promise<void> | null = null;

  load() {
    this.loaded ??= Promise.all([
      api<{ cities: CityInfo[] }>('/api/cities'),
      api<{ movies: MovieInfo[] }>('/api/movies'),
    ]).then(([c, m]) => {
      this.cities = c.cities;
      this.movies = new Map(m.movies.map((x) => [x.id, x]));
      if (!this.cityId || !c.cities.some((x) => x.id === this.cityId)) this.cityId = c.cities[0]?.id ?? null;
    });
    this.loaded.catch(() => (this.loaded = null));
    return this.loaded;
  }

  get city(): CityInfo | undefined {
    return this.cities.find((c) => c.id === this.cityId);
  }

  setCity(id: string) {
    this.cityId = id;
    localStorage.setItem(CITY_KEY, id);
  }
}

export const catalog = new Catalog();
