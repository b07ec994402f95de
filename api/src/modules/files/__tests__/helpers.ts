/** Helpers shared by the files tests (not a test file itself). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import type { Session, TestApp } from '../../../../test/harness';

/** A fresh UPLOAD_ROOT for one test file; remove it in afterAll. */
export function tempUploadRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'repair-uploads-'));
}

/** Every file under `dir`, relative, including the multer temp folder; [] when `dir` does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort();
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** POST /api/uploads as `s`, the way the mini-program's wx.uploadFile sends it. */
export function upload(
  t: Pick<TestApp, 'http'>,
  s: Session,
  bytes: Buffer,
  options: { purpose?: string; filename?: string; contentType?: string } = {},
): Promise<Response> {
  const { purpose = 'order', filename = 'photo.jpg', contentType = 'image/jpeg' } = options;
  return t.http.post('/api/uploads').set(s.auth).field('purpose', purpose).attach('file', bytes, { filename, contentType });
}

/** GETs a URL the API handed out (relative to the API, or absolute for COS) and returns the raw response. */
export function fetchSigned(t: Pick<TestApp, 'http'>, url: string) {
  return t.http.get(url).responseType('blob');
}
