import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG_3X2, PROGRESSIVE_JPEG_16X16, WEBP_LOSSLESS_3X2, WEBP_LOSSY_3X2, jpeg, png } from '../../../../test/fixtures/images';
import { createLocalStorage } from '../../../integrations/storage/local';
import { AppError } from '../../../shared/errors';
import { JpegWalker, inspectImage } from '../image-check';
import { sha256, tempUploadRoot } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tempUploadRoot();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function file(bytes: Buffer): string {
  const p = path.join(dir, `input-${++n}`);
  fs.writeFileSync(p, bytes);
  return p;
}

async function rejection(bytes: Buffer): Promise<AppError> {
  const err = await inspectImage(file(bytes)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** EXIF (APP1) segment with only the orientation tag, big-endian TIFF. */
function exifOrientation(value: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // first IFD offset
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(value, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

describe('inspectImage', () => {
  it('when a JPEG, PNG or WebP is whole, then its type, size, sha256 and dimensions are read from the bytes', async () => {
    const cases: [Buffer, string, number, number][] = [
      [JPEG_3X2, 'image/jpeg', 3, 2],
      [PROGRESSIVE_JPEG_16X16, 'image/jpeg', 16, 16],
      [png({ width: 9, height: 2 }), 'image/png', 9, 2],
      [WEBP_LOSSLESS_3X2, 'image/webp', 3, 2],
      [WEBP_LOSSY_3X2, 'image/webp', 3, 2],
    ];
    for (const [bytes, mime, width, height] of cases) {
      expect(await inspectImage(file(bytes))).toEqual({
        mime,
        ext: { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[mime],
        size: bytes.length,
        sha256: sha256(bytes),
        width,
        height,
      });
    }
  });

  it('when a JPEG carries data after its end marker (a motion photo), then it is still accepted', async () => {
    const motionPhoto = Buffer.concat([JPEG_3X2, Buffer.from('....ftypmp42 pretend video bytes \xff\xd8\xff', 'latin1')]);

    expect((await inspectImage(file(motionPhoto))).mime).toBe('image/jpeg');
  });

  it('when a JPEG says it is rotated by 90°, then width and height are reported as displayed', async () => {
    const rotated = Buffer.concat([JPEG_3X2.subarray(0, 2), exifOrientation(6), JPEG_3X2.subarray(2)]);

    expect(await inspectImage(file(rotated))).toMatchObject({ width: 2, height: 3 });
  });

  it('when an image is cut short anywhere after its header, then 415', async () => {
    const whole = [
      jpeg('cut'),
      PROGRESSIVE_JPEG_16X16,
      png({ width: 30, height: 30, noise: true }),
      WEBP_LOSSY_3X2,
      WEBP_LOSSLESS_3X2,
    ];
    for (const bytes of whole) {
      for (const keep of [bytes.length - 1, bytes.length - 2, Math.floor(bytes.length * 0.8)]) {
        const err = await rejection(bytes.subarray(0, keep));
        expect(err, `${bytes.length} → ${keep}`).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
      }
    }
  });
});

describe('JpegWalker', () => {
  it('when the bytes arrive one at a time, then the verdict is the same as all at once', () => {
    for (const bytes of [JPEG_3X2, PROGRESSIVE_JPEG_16X16]) {
      const walker = new JpegWalker();
      for (const byte of bytes) walker.update(Buffer.from([byte]));
      expect(walker.complete).toBe(true);
    }
  });

  it('when there is an end marker but no scan, then it is not a complete image', () => {
    const walker = new JpegWalker();
    walker.update(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));

    expect(walker.complete).toBe(false);
  });
});

describe('local storage keys', () => {
  it('when a key could leave the upload root, then it is refused before touching the disk', async () => {
    const storage = createLocalStorage(dir);
    const source = file(png({ seed: 1 }));

    for (const key of ['../escape.png', 'order/../../escape.png', '/etc/passwd', 'order/2026/11/x.png/../../..', 'Order/x.png']) {
      await expect(storage.put(key, source, 'image/png'), key).rejects.toThrow(/Unsafe storage key/);
    }
    expect(fs.existsSync(path.join(dir, '..', 'escape.png'))).toBe(false);
  });
});
