/// <reference types="node" />
/** Real image files for page tests, and a wx.chooseMedia that "picks" them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { MINIPROGRAM_ROOT } from './setup';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-photos-'));

/** Writes a distinct, valid JPEG (the API checks content) and returns its path, as a wx temp file path. */
export async function photoFile(tag: string): Promise<string> {
  // Imported by path: the fixture belongs to the API's tests, outside the mini-program's tsconfig.
  const { jpeg } = (await import(path.resolve(MINIPROGRAM_ROOT, '../api/test/fixtures/images.ts'))) as {
    jpeg(tag?: string): Buffer;
  };
  const file = path.join(dir, `${tag.replace(/[^\w-]/g, '_')}.jpg`);
  fs.writeFileSync(file, jpeg(tag));
  return file;
}

/** Makes the next wx.chooseMedia calls answer with `paths` (an empty list: the user cancelled). */
export function pickPhotos(paths: string[]) {
  return vi.spyOn(wx, 'chooseMedia').mockImplementation(((opts: WechatMiniprogram.ChooseMediaOption) => {
    if (paths.length === 0) opts.fail?.({ errMsg: 'chooseMedia:fail cancel' });
    else
      opts.success?.({
        tempFiles: paths
          .slice(0, opts.count ?? 9)
          .map((tempFilePath) => ({ tempFilePath, size: fs.statSync(tempFilePath).size, fileType: 'image' })),
        type: 'image',
        errMsg: 'chooseMedia:ok',
      } as never);
  }) as never);
}
