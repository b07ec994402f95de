import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeCos, type FakeCos } from '../../../../test/fakes/cos-server';
import { jpeg, png } from '../../../../test/fixtures/images';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';
import { createCosStorage } from '../../../integrations/storage/cos';
import { cleanupOrphanUploads } from '../../../jobs/uploads-cleanup';
import { DAY } from '../../../shared/clock';
import { createUrlSigner } from '../url-signer';
import { filesUnder, sha256, tempUploadRoot, upload } from './helpers';

let fake: FakeCos;
let root: string;
beforeAll(async () => {
  fake = await startFakeCos();
  root = tempUploadRoot();
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const cosFor = (f: FakeCos, overrides: { secretKey?: string } = {}) =>
  createCosStorage({
    secretId: f.secretId,
    secretKey: overrides.secretKey ?? f.secretKey,
    bucket: f.bucket,
    region: f.region,
    domain: f.domain,
    protocol: 'http:',
  });

function sourceFile(name: string, bytes: Buffer): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('COS storage adapter (cos-nodejs-sdk-v5 against a fake COS endpoint)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when an object is put, then the fake verified the header signature and holds the bytes with their type', async () => {
    const storage = cosFor(fake);
    const bytes = jpeg('cos-put');

    await storage.put('order/2026/11/put-test.jpg', sourceFile('put.jpg', bytes), 'image/jpeg');

    expect(fake.objects.get('order/2026/11/put-test.jpg')).toEqual({ body: bytes, contentType: 'image/jpeg' });
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'PUT', auth: 'header', status: 200, host: fake.domain });
    // The signature covers the host, the type and the length, so none can be changed in transit.
    expect(request.signedHeaders).toEqual(expect.arrayContaining(['host', 'content-type', 'content-length']));
  });

  it('when a pre-signed GET URL is fetched, then the fake verifies the query signature and returns the bytes', async () => {
    const storage = cosFor(fake);
    const bytes = png({ seed: 300 });
    await storage.put('review/2026/11/signed.png', sourceFile('signed.png', bytes), 'image/png');

    const url = storage.signedGetUrl('review/2026/11/signed.png', 3600);
    const res = await fetch(url);

    expect(url).toMatch(
      new RegExp(`^http://${fake.domain}/review/2026/11/signed\\.png\\?q-sign-algorithm=sha1&q-ak=${fake.secretId}&`),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', auth: 'query' });
  });

  it('when a pre-signed URL is reused for another key, tampered with or expired, then COS answers 403', async () => {
    const storage = cosFor(fake);
    await storage.put('chat/2026/11/a.png', sourceFile('a.png', png({ seed: 301 })), 'image/png');
    await storage.put('chat/2026/11/b.png', sourceFile('b.png', png({ seed: 302 })), 'image/png');
    const url = storage.signedGetUrl('chat/2026/11/a.png', 3600);
    // Signed while the clock read two hours ago: a 60-second URL that has long expired.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 2 * 3600_000);
    const expired = storage.signedGetUrl('chat/2026/11/a.png', 60);
    vi.useRealTimers();

    const otherKey = await fetch(url.replace('/a.png?', '/b.png?'));
    const tampered = await fetch(url.replace(/q-signature=([0-9a-f])/, (_, c: string) => `q-signature=${c === '0' ? '1' : '0'}`));
    const late = await fetch(expired);

    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(tampered.status).toBe(403);
    expect(late.status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it('when the secret key is wrong, then the put fails with the COS error and nothing is stored', async () => {
    const storage = cosFor(fake, { secretKey: 'not-the-right-secret-key-000000000' });

    await expect(storage.put('order/2026/11/denied.jpg', sourceFile('denied.jpg', jpeg('denied')), 'image/jpeg')).rejects.toThrow(
      /SignatureDoesNotMatch/,
    );
    expect(fake.objects.has('order/2026/11/denied.jpg')).toBe(false);
  });

  it('when an object is deleted, then it is gone, and deleting it again is not an error', async () => {
    const storage = cosFor(fake);
    await storage.put('avatar/2026/11/gone.png', sourceFile('gone.png', png({ seed: 303 })), 'image/png');

    await storage.delete('avatar/2026/11/gone.png');
    await storage.delete('avatar/2026/11/gone.png');

    expect(fake.objects.has('avatar/2026/11/gone.png')).toBe(false);
    expect(
      fake.requests.filter((r) => r.method === 'DELETE' && r.key === 'avatar/2026/11/gone.png').map((r) => r.status),
    ).toEqual([204, 204]);
    expect((await fetch(storage.signedGetUrl('avatar/2026/11/gone.png', 60))).status).toBe(404);
  });
});

describe('uploads with STORAGE=cos', () => {
  let t: TestApp;
  let appRoot: string;
  beforeAll(async () => {
    appRoot = tempUploadRoot();
    t = await createTestApp({ env: { UPLOAD_ROOT: appRoot }, container: { storage: cosFor(fake) } });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(appRoot, { recursive: true, force: true });
  });

  it('when an image is uploaded, then it goes to COS under a random key and the URL handed out is a COS pre-signed URL', async () => {
    const s = await login(t, 'cos-uploader');
    const bytes = jpeg('cos-app');

    const res = await upload(t, s, bytes, { filename: 'my-house.jpg' });

    expect(res.status).toBe(201);
    const row = await t.db('uploads').where({ id: res.body.data.id }).first();
    expect(row).toMatchObject({ storage: 'cos', mime: 'image/jpeg' });
    expect(fake.objects.get(row.storage_key)?.body.equals(bytes)).toBe(true);
    expect(res.body.data.url).toMatch(
      new RegExp(`^http://${fake.domain}/order/\\d{4}/\\d{2}/[0-9a-f]{32}\\.jpg\\?q-sign-algorithm=sha1&`),
    );
    const fetched = await fetch(res.body.data.url);
    expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(bytes));
    expect(filesUnder(appRoot)).toEqual([]);
  });

  it('when an API file URL is used for a COS upload, then it redirects to a fresh pre-signed COS URL', async () => {
    const s = await login(t, 'cos-redirect');
    const bytes = png({ seed: 310 });
    const { body } = await upload(t, s, bytes);
    const api = t.c.services.files;
    const row = await t.db('uploads').where({ id: body.data.id }).first();
    // An API-signed URL for the same id, as a client holding an older link would have.
    const local = createUrlSigner(t.config.jwtSecret, t.clock).url(body.data.id);

    const res = await t.http.get(local).redirects(0);

    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(new RegExp(`^http://${fake.domain}/${row.storage_key}\\?q-sign-algorithm=sha1&`));
    expect(sha256(Buffer.from(await (await fetch(res.headers.location!)).arrayBuffer()))).toBe(sha256(bytes));
    expect((await api.refs([body.data.id]))[0]!.url).toMatch(new RegExp(`^http://${fake.domain}/`));
  });

  it('when an orphan COS upload is a day old, then the cleanup job deletes the object and the row', async () => {
    const s = await login(t, 'cos-orphan');
    const { body } = await upload(t, s, png({ seed: 311 }));
    const row = await t.db('uploads').where({ id: body.data.id }).first();
    t.clock.advance(DAY + 1000);
    const orphans = await count(t.db, 'uploads', { attached_at: null });

    const removed = await cleanupOrphanUploads({ db: t.db, storage: t.c.storage, clock: t.clock, logger: t.c.logger });

    expect(removed).toBe(orphans);
    expect(fake.objects.has(row.storage_key)).toBe(false);
    expect(await t.db('uploads').where({ id: body.data.id }).first()).toBeUndefined();
  });
});
