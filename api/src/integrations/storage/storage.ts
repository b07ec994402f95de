import type { Readable } from 'node:stream';
import type { Config } from '../../config';
import { createCosStorage } from './cos';
import { createLocalStorage } from './local';

export type StorageDriver = 'local' | 'cos';

interface StorageBase {
  readonly driver: StorageDriver;
  /** Stores the file at `filePath` under `key`; the source file is left in place for the caller to remove. */
  put(key: string, filePath: string, mime: string): Promise<void>;
  /** Removes the object; an object that is already gone is not an error, so retries are safe. */
  delete(key: string): Promise<void>;
}

/** Files on the API's own disk: clients fetch them through GET /api/files/:id with an HMAC-signed URL. */
export interface LocalStorage extends StorageBase {
  readonly driver: 'local';
  /** The object's bytes and size, or undefined when it is missing on disk. */
  open(key: string): Promise<{ stream: Readable; size: number } | undefined>;
}

/** Tencent COS: clients fetch objects straight from COS with pre-signed URLs. */
export interface CosStorage extends StorageBase {
  readonly driver: 'cos';
  /** A pre-signed GET URL, computed offline. */
  signedGetUrl(key: string, expiresSeconds: number): string;
}

export type Storage = LocalStorage | CosStorage;

/** The storage STORAGE selects. */
export function createStorage(config: Config['storage']): Storage {
  if (config.driver === 'cos') {
    return createCosStorage({
      secretId: config.secretId,
      secretKey: config.secretKey,
      bucket: config.bucket,
      region: config.region,
    });
  }
  return createLocalStorage(config.uploadRoot);
}
