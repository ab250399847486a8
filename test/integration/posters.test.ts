/**
 * Uploaded posters through the real server: JPEG, PNG and WebP made with sharp here, stored
 * as WebP sizes on disk (the embedded default) and in S3 on moto_server (POSTER_BUCKET),
 * served with their widths; staff only; too big and bad content refused with nothing changed.
 */
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../protocol/index.js';
import { createS3PosterStore } from '../../server/adapters/posters/s3.js';
import { startHarness, type Harness } from '../support/harness.js';
import { hasMoto, startMoto } from '../support/moto.js';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'eu-west-1';

/** A w × h test image in a format, with a gradient so it is not trivially compressible. */
const image = (format: 'jpeg' | 'png' | 'webp', w = 800, h = 1200) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .composite([{ input: Buffer.from(`<svg width="${w}" height="${h}"><circle cx="${w / 2}" cy="${h / 2}" r="${w / 3}" fill="#1d4ed8"/></svg>`) }])
    [format]()
    .toBuffer();

if (!hasMoto) console.warn('[posters] S3 SKIPPED: moto_server is not installed on this machine, so the S3 poster store cannot be tested.');

function suite(name: string, setup: () => Promise<{ h: Harness; listKeys?: () => Promise<string[]> }>, skip = false) {
  describe.skipIf(skip)(name, () => {
    let h: Harness;
    let listKeys: (() => Promise<string[]>) | undefined;
    let staff: string;
    let admin: string;
    beforeAll(async () => {
      ({ h, listKeys } = await setup());
      const reg = async (role: 'staff' | 'admin') => {
        const r = await h.app.services.auth.register({ name: role, email: `${role}-${Math.random().toString(36).slice(2)}@test.example`, password: 'correct horse battery' }, role, ['test-theatre']);
        if (!r.ok) throw new Error('register failed');
        return r.value.token;
      };
      staff = await reg('staff');
      admin = await reg('admin');
    });
    afterAll(async () => h?.close());

    const put = (movieId: string, body: Buffer, token?: string, type = 'image/jpeg') =>
      fetch(`${h.url}/api/staff/movies/${movieId}/poster`, { method: 'PUT', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(body) });
    const movie = async (id: string) => ((await (await fetch(`${h.url}/api/movies/${id}`)).json()) as { movie: Movie }).movie;

    it.each([
      ['jpeg', 'rrr'],
      ['png', 'oppenheimer'],
      ['webp', 'sita-ramam'],
    ] as const)('a %s upload by staff becomes WebP posters 160, 320 and 640 px wide (2:3), listed on the movie and served as image/webp', async (format, id) => {
      const r = await put(id, await image(format), staff);
      expect(r.status).toBe(200);
      const m = await movie(id);
      expect(m.uploadedPoster?.widths).toEqual([160, 320, 640]);
      expect(m.posterImages?.map((i) => [i.width, i.height])).toEqual([[160, 240], [320, 480], [640, 960]]);
      for (const img of m.posterImages!) {
        expect(img.url).toMatch(new RegExp(`^/api/movies/${id}/poster/${img.width}\\.webp\\?v=[\\w-]{16}$`));
        const got = await fetch(`${h.url}${img.url}`);
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe('image/webp');
        expect(got.headers.get('cache-control')).toContain('immutable');
        const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
        expect(meta).toMatchObject({ format: 'webp', width: img.width, height: img.height });
        expect(meta.exif).toBeUndefined();
      }
      // The card's listing says the same.
      const listed = ((await (await fetch(`${h.url}/api/movies`)).json()) as { movies: Movie[] }).movies.find((x) => x.id === id)!;
      expect(listed.posterImages).toEqual(m.posterImages);
    });

    it('a small source makes only the sizes it can fill (never upscaled); a too-small image is refused with its size', async () => {
      expect((await put('jailer', await image('png', 400, 600), admin)).status).toBe(200);
      expect((await movie('jailer')).uploadedPoster?.widths).toEqual([160, 320]);
      const r = await put('jailer', await image('png', 100, 150), admin);
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error).toMatchObject({ code: 'VALIDATION', reason: 'poster_too_small', params: { minWidth: 160, minHeight: 240, width: 100, height: 150 } });
    });

    it('anonymous callers get 401 and customers 403; the movie keeps its generated poster', async () => {
      const body = await image('jpeg');
      expect((await put('pushpa-the-rise', body)).status).toBe(401);
      const customer = await h.register('fan');
      const r = await put('pushpa-the-rise', body, customer.token);
      expect(r.status).toBe(403);
      expect(((await r.json()) as any).error).toMatchObject({ code: 'FORBIDDEN', reason: 'staff_only' });
      expect((await fetch(`${h.url}/api/staff/movies/pushpa-the-rise/poster`, { method: 'DELETE', headers: { authorization: `Bearer ${customer.token}` } })).status).toBe(403);
      expect((await movie('pushpa-the-rise')).posterImages).toBeUndefined();
    });

    it('an upload over 5 MB is refused with 413 TOO_LARGE, and bad content (text named .png, a cut-short JPEG) with 400; the poster shown stays as it was', async () => {
      const before = await movie('rrr');
      expect(before.posterImages).toHaveLength(3);
      const tooBig = Buffer.concat([await image('jpeg'), Buffer.alloc(5 * 1024 * 1024)]);
      const big = await put('rrr', tooBig, staff);
      expect(big.status).toBe(413);
      expect(((await big.json()) as any).error).toMatchObject({ code: 'TOO_LARGE', params: { maxMegabytes: 5 } });

      const text = await put('rrr', Buffer.from('definitely not a picture\n'), staff, 'image/png');
      expect(text.status).toBe(400);
      expect(((await text.json()) as any).error).toMatchObject({ code: 'VALIDATION', reason: 'poster_type' });

      const jpeg = await image('jpeg');
      const cut = await put('rrr', jpeg.subarray(0, Math.floor(jpeg.length / 2)), staff);
      expect(cut.status).toBe(400);
      expect(((await cut.json()) as any).error).toMatchObject({ code: 'VALIDATION', reason: 'poster_unreadable' });

      expect(await movie('rrr')).toEqual(before);
      for (const img of before.posterImages!) expect((await fetch(`${h.url}${img.url}`)).status).toBe(200);
    });

    it('a PNG sent as image/jpeg is taken for what it is; a new upload replaces the old files; DELETE goes back to the generated poster', async () => {
      const old = await movie('oppenheimer');
      const r = await put('oppenheimer', await image('png', 700, 1000), staff, 'image/jpeg');
      expect(r.status).toBe(200);
      const now = await movie('oppenheimer');
      expect(now.uploadedPoster!.version).not.toBe(old.uploadedPoster!.version);
      expect((await fetch(`${h.url}${old.posterImages![0]!.url}`)).status).toBe(404);
      if (listKeys) expect((await listKeys()).filter((k) => k.startsWith('posters/oppenheimer/'))).toHaveLength(3);

      const d = await fetch(`${h.url}/api/staff/movies/oppenheimer/poster`, { method: 'DELETE', headers: { authorization: `Bearer ${staff}` } });
      expect(d.status).toBe(200);
      const back = await movie('oppenheimer');
      expect(back.uploadedPoster).toBeUndefined();
      expect(back.posterImages).toBeUndefined();
      expect(back.posterUrl).toMatch(/poster\.svg\?v=/);
      expect((await fetch(`${h.url}${now.posterImages![0]!.url}`)).status).toBe(404);
      if (listKeys) expect((await listKeys()).filter((k) => k.startsWith('posters/oppenheimer/'))).toEqual([]);
    });
  });
}

suite('posters on disk (the embedded default)', async () => ({ h: await startHarness({ demoData: true }) }));

let moto: Awaited<ReturnType<typeof startMoto>> | undefined;
afterAll(async () => moto?.stop());
suite(
  'posters in S3 (POSTER_BUCKET, on moto_server)',
  async () => {
    moto = await startMoto();
    const s3 = new S3Client({ region, endpoint: moto.endpoint, credentials, forcePathStyle: true });
    const Bucket = 'moviemagic-posters';
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region } }));
    const h = await startHarness({ demoData: true, posterStore: createS3PosterStore({ bucket: Bucket, region, endpoint: moto.endpoint, credentials }) });
    const listKeys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key!);
    return { h, listKeys };
  },
  !hasMoto,
);
