import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HTML_PAGE,
  HTML_WITH_JPEG_MAGIC,
  JPEG_3X2,
  PROGRESSIVE_JPEG_16X16,
  SVG_WITH_SCRIPT,
  WEBP_LOSSLESS_3X2,
  WEBP_LOSSY_3X2,
  jpeg,
  png,
  zip,
} from '../../../../test/fixtures/images';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';
import { DEFAULT_RATE_LIMITS } from '../../../shared/rate-limit';
import { createFilesService } from '../files.service';
import { filesUnder, sha256, tempUploadRoot, upload } from './helpers';
import { createFilesRepository } from '../files.repository';

describe('POST /api/uploads', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    root = tempUploadRoot();
    t = await createTestApp({ env: { UPLOAD_ROOT: root } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['a baseline JPEG', JPEG_3X2, 'image/jpeg', 3, 2, 'baseline-jpeg'],
    ['a progressive JPEG', PROGRESSIVE_JPEG_16X16, 'image/jpeg', 16, 16, 'progressive-jpeg'],
    ['a PNG', png({ width: 5, height: 4 }), 'image/png', 5, 4, 'png'],
    ['a lossless WebP', WEBP_LOSSLESS_3X2, 'image/webp', 3, 2, 'lossless-webp'],
    ['a lossy WebP', WEBP_LOSSY_3X2, 'image/webp', 3, 2, 'lossy-webp'],
  ])(
    'when I upload %s, then it is stored under a random name with its type, size, sha256 and dimensions',
    async (_, bytes, mime, width, height, user) => {
      const s = await login(t, `type-${user}`);

      const res = await upload(t, s, bytes, { filename: 'whatever.bin', contentType: 'application/octet-stream' });

      expect(res.status).toBe(201);
      expect(res.body.data).toEqual({
        id: expect.any(Number),
        url: expect.stringMatching(new RegExp(`^/api/files/${res.body.data.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`)),
        sha256: sha256(bytes),
        size: bytes.length,
        mime,
        width,
        height,
        deduplicated: false,
      });
      const row = await t.db('uploads').where({ id: res.body.data.id }).first();
      expect(row).toMatchObject({ owner_id: s.userId, purpose: 'order', storage: 'local', mime, sha256: sha256(bytes) });
      const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[mime];
      expect(row.storage_key).toMatch(new RegExp(`^order/\\d{4}/\\d{2}/[0-9a-f]{32}\\.${ext}$`));
      expect(fs.readFileSync(path.join(root, row.storage_key)).equals(bytes)).toBe(true);
      expect(row.attached_at).toBeNull();
    },
  );

  it.each([
    ['an HTML page named .jpg', HTML_PAGE, 'fake.jpg', 'html'],
    ['a ZIP archive named .jpg', zip(), 'fake.jpg', 'zip'],
    ['an SVG with a script', SVG_WITH_SCRIPT, 'icon.svg', 'svg'],
    ['HTML behind JPEG magic bytes', HTML_WITH_JPEG_MAGIC, 'fake.jpg', 'magic-html'],
    ['a truncated JPEG', JPEG_3X2.subarray(0, JPEG_3X2.length - 40), 'cut.jpg', 'cut-jpeg'],
    ['a truncated PNG', png({ width: 20, height: 20, noise: true }).subarray(0, 600), 'cut.png', 'cut-png'],
    ['an empty file', Buffer.alloc(0), 'empty.jpg', 'empty'],
  ])('when I upload %s, then 415 and nothing is stored', async (_, bytes, filename, user) => {
    const s = await login(t, `reject-${user}`);
    const before = filesUnder(root);

    const res = await upload(t, s, bytes, { filename, contentType: 'image/jpeg' });

    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(0);
    expect(filesUnder(root)).toEqual(before);
  });

  it('when the file field is missing, then 400 names body.file and nothing is stored', async () => {
    const s = await login(t, 'no-file');

    const res = await t.http.post('/api/uploads').set(s.auth).field('purpose', 'order');

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['body.file']);
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(0);
  });

  it('when the purpose is missing or unknown, then 400 names body.purpose and the temp file is gone', async () => {
    const s = await login(t, 'bad-purpose');
    const before = filesUnder(root);

    const missing = await t.http
      .post('/api/uploads')
      .set(s.auth)
      .attach('file', png({ seed: 1 }), 'a.png');
    const unknown = await upload(t, s, png({ seed: 2 }), { purpose: 'passport' });

    for (const res of [missing, unknown]) {
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['body.purpose']);
    }
    expect(filesUnder(root)).toEqual(before);
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(0);
  });

  it('when the body is JSON instead of a form, then 400 says the file is missing', async () => {
    const s = await login(t, 'json-body');

    const res = await t.http.post('/api/uploads').set(s.auth).send({ purpose: 'order', file: 'aGVsbG8=' });

    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['body.file']);
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(0);
  });

  it('when both the file and the purpose are missing, then one 400 names both', async () => {
    const s = await login(t, 'empty-form');

    const res = await t.http.post('/api/uploads').set(s.auth).field('note', 'x');

    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string[] }) => d.path.join('.')).sort()).toEqual(['body.file', 'body.purpose']);
  });

  it('when the file comes in another field or twice, then 400 and nothing is left behind', async () => {
    const s = await login(t, 'wrong-field');
    const before = filesUnder(root);

    const otherField = await t.http
      .post('/api/uploads')
      .set(s.auth)
      .field('purpose', 'order')
      .attach('image', png({ seed: 3 }), 'a.png');
    const twice = await t.http
      .post('/api/uploads')
      .set(s.auth)
      .field('purpose', 'order')
      .attach('file', png({ seed: 4 }), 'a.png')
      .attach('file', png({ seed: 5 }), 'b.png');

    expect(otherField.status).toBe(400);
    expect(otherField.body.error.code).toBe('VALIDATION_FAILED');
    expect(twice.status).toBe(400);
    expect(filesUnder(root)).toEqual(before);
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(0);
  });

  it('when I am not signed in, then 401 and nothing is stored', async () => {
    const before = filesUnder(root);

    const res = await t.http.post('/api/uploads').field('purpose', 'order').attach('file', JPEG_3X2, 'a.jpg');

    expect(res.status).toBe(401);
    expect(filesUnder(root)).toEqual(before);
  });

  it('when I upload the same image twice for the same purpose, then the first record comes back and one file is stored', async () => {
    const s = await login(t, 'dedupe');
    const bytes = png({ seed: 42 });

    const first = await upload(t, s, bytes, { filename: 'one.png' });
    const filesAfterFirst = filesUnder(root);
    const second = await upload(t, s, bytes, { filename: 'two.png' });

    expect(second.status).toBe(201);
    expect(second.body.data).toMatchObject({ id: first.body.data.id, sha256: sha256(bytes), deduplicated: true });
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(1);
    expect(filesUnder(root)).toEqual(filesAfterFirst);
  });

  it('when the same image is uploaded by another user or for another purpose, then it is a record of its own', async () => {
    const a = await login(t, 'dedupe-a');
    const b = await login(t, 'dedupe-b');
    const bytes = png({ seed: 43 });

    const first = await upload(t, a, bytes);
    const otherPurpose = await upload(t, a, bytes, { purpose: 'review' });
    const otherUser = await upload(t, b, bytes);

    expect(new Set([first.body.data.id, otherPurpose.body.data.id, otherUser.body.data.id]).size).toBe(3);
    expect(otherPurpose.body.data.deduplicated).toBe(false);
    expect(otherUser.body.data.deduplicated).toBe(false);
  });

  it('when two identical uploads race past the duplicate check, then the unique index keeps one and the loser gets the first record', async () => {
    const s = await login(t, 'dedupe-race');
    const bytes = jpeg('race');
    const first = await upload(t, s, bytes);
    const filesBefore = filesUnder(root);
    // A service whose first duplicate lookup misses, as it does for the second of two simultaneous uploads.
    const repository = createFilesRepository(t.db);
    let misses = 1;
    const racing = createFilesService({
      db: t.db,
      uploads: {
        ...repository,
        findDuplicate: (...args: Parameters<typeof repository.findDuplicate>) =>
          misses-- > 0 ? Promise.resolve(undefined) : repository.findDuplicate(...args),
      },
      storage: t.c.storage,
      clock: t.clock,
      logger: t.c.logger,
      secret: t.config.jwtSecret,
    });
    const temp = path.join(root, 'race-input.jpg');
    fs.writeFileSync(temp, bytes);

    const result = await racing.upload(s.userId, 'order', { path: temp, size: bytes.length });
    fs.rmSync(temp);

    expect(result).toMatchObject({ id: first.body.data.id, deduplicated: true });
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(1);
    expect(filesUnder(root)).toEqual(filesBefore);
  });

  it('when the same image is uploaded twice at once, then both answers carry the same id', async () => {
    const s = await login(t, 'dedupe-parallel');
    const bytes = jpeg('parallel');

    const [a, b] = await Promise.all([upload(t, s, bytes), upload(t, s, bytes)]);

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.data.id).toBe(b.body.data.id);
    expect([a.body.data.deduplicated, b.body.data.deduplicated].sort()).toEqual([false, true]);
    expect(await count(t.db, 'uploads', { owner_id: s.userId })).toBe(1);
  });

  it("when I upload a file, then neither the answer nor the stored name carries the client's file name", async () => {
    const s = await login(t, 'file-name');

    const res = await upload(t, s, png({ seed: 7 }), { filename: 'secret-家里配电箱-13812345678.png' });

    expect(res.status).toBe(201);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('secret');
    expect(raw).not.toContain('13812345678');
    const row = await t.db('uploads').where({ id: res.body.data.id }).first();
    expect(row.storage_key).not.toContain('secret');
    expect(filesUnder(root).some((f) => f.includes('secret'))).toBe(false);
  });
});

describe('upload size limit', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    root = tempUploadRoot();
    t = await createTestApp({ env: { UPLOAD_ROOT: root, MAX_UPLOAD_MB: '0.01' } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('when the file is over MAX_UPLOAD_MB, then 413 and no file is left in the upload root or the temp folder', async () => {
    const s = await login(t, 'oversize');
    const big = png({ width: 80, height: 80, noise: true });
    expect(big.length).toBeGreaterThan(0.01 * 1024 * 1024);
    const before = filesUnder(root);

    const res = await upload(t, s, big, { filename: 'big.png' });

    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(filesUnder(root)).toEqual(before);
    expect(filesUnder(path.join(root, '.incoming'))).toEqual([]);
    expect(await count(t.db, 'uploads')).toBe(0);
  });

  it('when the file is just under MAX_UPLOAD_MB, then it is accepted', async () => {
    const s = await login(t, 'undersize');
    const fits = png({ width: 50, height: 50, noise: true });
    expect(fits.length).toBeLessThan(0.01 * 1024 * 1024);

    const res = await upload(t, s, fits, { filename: 'fits.png' });

    expect(res.status).toBe(201);
    expect(filesUnder(path.join(root, '.incoming'))).toEqual([]);
  });
});

describe('upload rate limit', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    root = tempUploadRoot();
    t = await createTestApp({ env: { UPLOAD_ROOT: root }, container: { rateLimits: { ...DEFAULT_RATE_LIMITS } } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('when one user exceeds the per-minute upload limit, then 429 for them only, with nothing stored', async () => {
    const busy = await login(t, 'busy-uploader');
    const other = await login(t, 'calm-uploader');
    for (let i = 0; i < DEFAULT_RATE_LIMITS.uploads; i++) {
      expect((await upload(t, busy, png({ seed: 100 + i }))).status).toBe(201);
    }
    const before = filesUnder(root);

    const limited = await upload(t, busy, png({ seed: 999 }));
    const unaffected = await upload(t, other, png({ seed: 999 }));

    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(await count(t.db, 'uploads', { owner_id: busy.userId })).toBe(DEFAULT_RATE_LIMITS.uploads);
    expect(unaffected.status).toBe(201);
    expect(filesUnder(root).filter((f) => !before.includes(f))).toHaveLength(1);
  });
});
