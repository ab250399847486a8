import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PosterStore } from '../../ports.js';

const SAFE_KEY = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const pathOf = (dir: string, key: string) => {
  if (!SAFE_KEY.test(key) || key.split('/').includes('..')) throw new Error(`not a poster key: ${key}`);
  return join(dir, key);
};

/** Posters as files under `dir` (DATA_DIR/posters): the embedded default. Written whole (temp file, then rename). */
export function createDiskPosterStore(dir: string): PosterStore {
  return {
    async put(key, body) {
      const path = pathOf(dir, key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, path);
    },
    async get(key) {
      try {
        return await readFile(pathOf(dir, key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async delete(keys) {
      await Promise.all(keys.map((k) => rm(pathOf(dir, k), { force: true })));
    },
  };
}
