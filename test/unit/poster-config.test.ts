import { expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

it('POSTER_BUCKET unset keeps posters under DATA_DIR; set, it needs AWS_REGION and a bucket-shaped name; S3_ENDPOINT only with a bucket', () => {
  expect(loadConfig({}).posterBucket).toBeNull();
  expect(loadConfig({ POSTER_BUCKET: 'mm-posters', AWS_REGION: 'ap-south-1', S3_ENDPOINT: 'http://127.0.0.1:5000' })).toMatchObject({ posterBucket: 'mm-posters', s3Endpoint: 'http://127.0.0.1:5000' });
  expect(() => loadConfig({ POSTER_BUCKET: 'mm-posters' })).toThrow(/AWS_REGION is required with POSTER_BUCKET/);
  expect(() => loadConfig({ POSTER_BUCKET: 'Not A Bucket', AWS_REGION: 'ap-south-1' })).toThrow(/POSTER_BUCKET/);
  expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:5000' })).toThrow(/S3_ENDPOINT is only used with POSTER_BUCKET/);
});
