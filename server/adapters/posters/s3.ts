import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PosterStore } from '../../ports.js';

/** Posters in an S3 bucket (POSTER_BUCKET); `endpoint` for an S3-compatible server (moto_server in tests). */
export function createS3PosterStore(opts: {
  bucket: string;
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): PosterStore {
  // Emulators and most S3-compatible servers want path-style addresses (no bucket subdomain).
  const client = new S3Client({ region: opts.region, endpoint: opts.endpoint, credentials: opts.credentials, forcePathStyle: !!opts.endpoint });
  const Bucket = opts.bucket;
  return {
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, CacheControl: 'public, max-age=31536000, immutable' }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
      } catch (e) {
        if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return null;
        throw e;
      }
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
    },
  };
}
