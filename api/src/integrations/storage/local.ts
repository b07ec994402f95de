import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalStorage } from './storage';

/** Keys are `<purpose>/<yyyy>/<mm>/<name>.<ext>`: lower-case segments, no dots except the extension. */
const SAFE_KEY = /^(?:[a-z0-9_-]+\/)*[a-z0-9_-]+\.[a-z0-9]+$/;

/** Objects stored as files under `root`. */
export function createLocalStorage(root: string): LocalStorage {
  const base = path.resolve(root);

  /** The file behind a key; a key that could name anything outside the root is refused outright. */
  function fileOf(key: string): string {
    const file = path.resolve(base, key);
    if (!SAFE_KEY.test(key) || !file.startsWith(base + path.sep)) throw new Error(`Unsafe storage key: ${key}`);
    return file;
  }

  return {
    driver: 'local',

    async put(key, filePath) {
      const file = fileOf(key);
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      // Copy beside the target and rename: a reader never sees a half-written file under the key.
      const partial = `${file}.${randomBytes(6).toString('hex')}.part`;
      try {
        await fs.promises.copyFile(filePath, partial);
        await fs.promises.rename(partial, file);
      } finally {
        await fs.promises.rm(partial, { force: true });
      }
    },

    async delete(key) {
      await fs.promises.rm(fileOf(key), { force: true });
    },

    async open(key) {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(fileOf(key), 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      try {
        const { size } = await handle.stat();
        return { stream: handle.createReadStream(), size };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },
  };
}
