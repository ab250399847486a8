/**
 * Posters. Generated ones are made on first request and kept: a poster is a pure function of
 * a few movie facts, so it is drawn again only when one of them changes. Its version (a hash
 * of the SVG) goes into the URL, which lets browsers cache it for good.
 *
 * Uploaded ones (staff): the bytes are judged by what they are (magic bytes, then a full
 * decode), never by name or Content-Type; re-encoded with sharp to WebP at a few widths,
 * cropped to 2:3, metadata stripped; stored in the PosterStore under a version (a hash of the
 * upload) that goes into their URLs; the movie records the version and widths.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { posterSvg } from '../domain/poster.js';
import { loadPosterWords, type PosterLanguage } from './poster-words.js';
import { POSTER_RULES, posterHeight, posterWidths, sniffImage } from '../domain/poster-sniff.js';
import { fail, ok, type Result } from '../domain/result.js';
import type { CatalogStore, MovieRecord, PosterStore } from '../ports.js';

export interface Poster {
  svg: string;
  /**
   * The `v` of the poster's URL and its English ETag: a hash of the English SVG and of every
   * language's poster words, so one version covers the movie's posters in all languages.
   */
  version: string;
}

export type UploadedPoster = NonNullable<MovieRecord['uploadedPoster']>;

/** Decoding more than this many pixels is refused (a small file can claim a huge image). */
const MAX_INPUT_PIXELS = 40_000_000;

const keyOf = (movieId: string, version: string, width: number) => `posters/${movieId}/${version}/${width}.webp`;
const keysOf = (movieId: string, p: UploadedPoster) => p.widths.map((w) => keyOf(movieId, p.version, w));

/**
 * The upload as WebP files, or why not: VALIDATION with reason poster_type (not a JPEG, PNG or
 * WebP), poster_unreadable (it says it is one but does not decode: truncated, corrupt) or
 * poster_too_small; TOO_LARGE over POSTER_RULES.maxBytes.
 */
export async function encodePoster(bytes: Buffer): Promise<Result<{ version: string; files: { width: number; webp: Buffer }[] }>> {
  const { maxBytes, minWidth, minHeight } = POSTER_RULES;
  if (bytes.length > maxBytes) return fail('TOO_LARGE', { message: `A poster may be at most ${maxBytes / 1024 / 1024} MB.`, params: { maxMegabytes: maxBytes / 1024 / 1024 } });
  const format = sniffImage(bytes);
  if (!format) return fail('VALIDATION', { message: 'A poster must be a JPEG, PNG or WebP image.', reason: 'poster_type' });
  const unreadable = () => fail('VALIDATION', { message: `This file starts like a ${format.toUpperCase()} image but cannot be read (cut short or damaged).`, reason: 'poster_unreadable' });
  const source = () => sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
  let width: number, height: number;
  try {
    const meta = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (meta.format !== format) return unreadable();
    // EXIF orientations 5-8 swap the sides.
    const turned = (meta.orientation ?? 1) >= 5;
    width = (turned ? meta.height : meta.width) ?? 0;
    height = (turned ? meta.width : meta.height) ?? 0;
    // Decode it all once: a file cut short fails here, not after some sizes were stored.
    await source().raw().toBuffer();
  } catch {
    return unreadable();
  }
  if (width < minWidth || height < minHeight) {
    return fail('VALIDATION', { message: `A poster must be at least ${minWidth} × ${minHeight} pixels (this one is ${width} × ${height}).`, reason: 'poster_too_small', params: { minWidth, minHeight, width, height } });
  }
  const files = await Promise.all(
    posterWidths(width).map(async (w) => ({
      width: w,
      // sharp writes no metadata (EXIF, GPS, ICC) unless asked to.
      webp: await source().resize({ width: w, height: posterHeight(w), fit: 'cover', position: 'attention' }).webp({ quality: 80 }).toBuffer(),
    })),
  );
  return ok({ version: createHash('sha256').update(bytes).digest('base64url').slice(0, 16), files });
}

export function createPosters(deps: { store: PosterStore; catalogStore: Pick<CatalogStore, 'setMoviePoster'>; movieChanged: () => void }) {
  const book = loadPosterWords();
  const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);
  const made = new Map<string, { inputs: string; poster: Poster }>();
  function posterOf(movie: MovieRecord, lang: PosterLanguage = 'en'): Poster {
    const { id, title, genres, certificate, runtimeMinutes } = movie;
    const inputs = JSON.stringify([title, genres, certificate, runtimeMinutes]);
    const key = `${lang}:${id}`;
    const kept = made.get(key);
    if (kept?.inputs === inputs) return kept.poster;
    const svg = posterSvg({ id, title, genres, certificate, runtimeMinutes }, book.words[lang]);
    const english = lang === 'en' ? svg : posterOf(movie, 'en').svg;
    const poster = { svg, version: hash(english + book.fingerprint) };
    made.set(key, { inputs, poster });
    return poster;
  }
  const imageUrl = (movieId: string, version: string, width: number) => `/api/movies/${encodeURIComponent(movieId)}/poster/${width}.webp?v=${version}`;

  /** Drops the files of a poster no longer in use; a failure leaves files behind, never a broken movie. */
  async function forget(movieId: string, old: UploadedPoster | undefined, current?: UploadedPoster) {
    if (!old || old.version === current?.version) return;
    await deps.store.delete(keysOf(movieId, old)).catch(() => undefined);
  }

  return {
    posterOf,
    urlOf: (movie: MovieRecord) => `/api/movies/${encodeURIComponent(movie.id)}/poster.svg?v=${posterOf(movie).version}`,
    /** The uploaded poster's sizes, narrowest first; none without an upload. */
    imagesOf: (movie: MovieRecord) =>
      movie.uploadedPoster?.widths.map((width) => ({ url: imageUrl(movie.id, movie.uploadedPoster!.version, width), width, height: posterHeight(width) })),
    /** Stores an upload as the movie's poster (see encodePoster for the refusals); nothing changes when it is refused. */
    async upload(movie: MovieRecord, bytes: Buffer): Promise<Result<UploadedPoster>> {
      const encoded = await encodePoster(bytes);
      if (!encoded.ok) return encoded;
      const { version, files } = encoded.value;
      await Promise.all(files.map((f) => deps.store.put(keyOf(movie.id, version, f.width), f.webp, 'image/webp')));
      const poster = { version, widths: files.map((f) => f.width) };
      if (!(await deps.catalogStore.setMoviePoster(movie.id, poster))) {
        await forget(movie.id, poster);
        return fail('NOT_FOUND', { message: `No movie called "${movie.id}".` });
      }
      deps.movieChanged();
      await forget(movie.id, movie.uploadedPoster, poster);
      return ok(poster);
    },
    /** Back to the generated poster (idempotent). */
    async remove(movie: MovieRecord): Promise<Result<null>> {
      if (!(await deps.catalogStore.setMoviePoster(movie.id, null))) return fail('NOT_FOUND', { message: `No movie called "${movie.id}".` });
      deps.movieChanged();
      await forget(movie.id, movie.uploadedPoster);
      return ok(null);
    },
    /** One WebP file of an uploaded poster, by version and width; null when there is none. */
    async image(movieId: string, version: string, width: number): Promise<Buffer | null> {
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(version) || !(POSTER_RULES.widths as readonly number[]).includes(width)) return null;
      return deps.store.get(keyOf(movieId, version, width));
    },
  };
}
export type Posters = ReturnType<typeof createPosters>;
