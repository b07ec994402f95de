import fs from 'node:fs';
import COS from 'cos-nodejs-sdk-v5';
import type { CosStorage } from './storage';

export interface CosOptions {
  secretId: string;
  secretKey: string;
  /** `<name>-<appid>`, as the COS console shows it. */
  bucket: string;
  region: string;
  /** Host (and port) to talk to instead of `<bucket>.cos.<region>.myqcloud.com`; tests point it at a fake. */
  domain?: string;
  protocol?: 'http:' | 'https:';
  timeoutMs?: number;
}

/** Tencent COS through cos-nodejs-sdk-v5: objects are private and read through pre-signed URLs. */
export function createCosStorage(o: CosOptions): CosStorage {
  const cos = new COS({
    SecretId: o.secretId,
    SecretKey: o.secretKey,
    Domain: o.domain,
    Protocol: o.protocol ?? 'https:',
    Timeout: o.timeoutMs ?? 30_000,
  });
  const target = { Bucket: o.bucket, Region: o.region };

  const failed = (operation: string, key: string, err: unknown) => {
    const e = err as { code?: string; message?: string; statusCode?: number } | null;
    return new Error(
      `COS ${operation} ${key} failed: ${e?.statusCode ?? '-'} ${e?.code ?? ''} ${e?.message ?? String(err)}`.trim(),
      {
        cause: err,
      },
    );
  };

  return {
    driver: 'cos',

    async put(key, filePath, mime) {
      const { size } = await fs.promises.stat(filePath);
      try {
        await cos.putObject({
          ...target,
          Key: key,
          Body: fs.createReadStream(filePath),
          ContentLength: size,
          ContentType: mime,
        });
      } catch (err) {
        throw failed('put', key, err);
      }
    },

    async delete(key) {
      try {
        // The SDK already treats 404 as success.
        await cos.deleteObject({ ...target, Key: key });
      } catch (err) {
        throw failed('delete', key, err);
      }
    },

    signedGetUrl(key, expiresSeconds) {
      return cos.getObjectUrl({ ...target, Key: key, Sign: true, Expires: expiresSeconds });
    },
  };
}
