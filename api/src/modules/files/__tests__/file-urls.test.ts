import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBP_LOSSLESS_3X2, jpeg, png } from '../../../../test/fixtures/images';
import { createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { MINUTE } from '../../../shared/clock';
import { SIGNED_URL_TTL_SECONDS } from '../url-signer';
import { fetchSigned, sha256, tempUploadRoot, upload } from './helpers';

let t: TestApp;
let root: string;
let admin: Session;
beforeAll(async () => {
  root = tempUploadRoot();
  t = await createTestApp({ env: { UPLOAD_ROOT: root } });
  admin = await loginAsAdmin(t);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The signed URL with one query parameter replaced. */
function withParam(url: string, name: string, value: string): string {
  const u = new URL(url, 'http://api');
  u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
}

describe('GET /api/files/:id (signed URLs)', () => {
  it('when I fetch the signed URL an upload returned, then the bytes, type and cache headers are right', async () => {
    const s = await login(t, 'fetcher');
    const bytes = jpeg('fetch');
    const { body } = await upload(t, s, bytes);

    const res = await fetchSigned(t, body.data.url);

    expect(res.status).toBe(200);
    expect(sha256(res.body as Buffer)).toBe(sha256(bytes));
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers.etag).toBe(`"${sha256(bytes)}"`);
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers['cache-control'] ?? '')?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(SIGNED_URL_TTL_SECONDS);
    expect(maxAge).toBeLessThanOrEqual(SIGNED_URL_TTL_SECONDS + 600);
  });

  it('when the client already holds the bytes (If-None-Match), then 304 without a body', async () => {
    const s = await login(t, 'revalidator');
    const bytes = png({ seed: 11 });
    const { body } = await upload(t, s, bytes);

    const res = await t.http.get(body.data.url).set('If-None-Match', `"${sha256(bytes)}"`);

    expect(res.status).toBe(304);
    expect(res.text ?? '').toBe('');
  });

  it('when the signature, the expiry or the id is tampered with, then 403 FORBIDDEN', async () => {
    const s = await login(t, 'tamperer');
    const first = (await upload(t, s, png({ seed: 12 }))).body.data;
    const second = (await upload(t, s, png({ seed: 13 }))).body.data;
    const url = new URL(first.url, 'http://api');
    const sig = url.searchParams.get('sig')!;
    const exp = Number(url.searchParams.get('exp'));
    const flipped = `${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    // The last character's two low bits are padding: this spells the same bytes differently.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(sig.at(-1)!);
    const respelled = `${sig.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]}`;

    const attempts = [
      withParam(first.url, 'sig', flipped),
      withParam(first.url, 'sig', respelled),
      withParam(first.url, 'exp', String(exp + 86_400)),
      first.url.replace(`/api/files/${first.id}?`, `/api/files/${second.id}?`),
      withParam(first.url, 'sig', 'not-base64url-at-all'),
      `/api/files/${first.id}`,
      `/api/files/${first.id}?exp=${exp}`,
    ];
    for (const attempt of attempts) {
      const res = await t.http.get(attempt);
      expect(res.status, attempt).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    expect((await fetchSigned(t, first.url)).status).toBe(200);
  });

  it('when the URL has expired, then 403 with a message saying so; a fresh URL works again', async () => {
    const s = await login(t, 'late-viewer');
    const bytes = png({ seed: 14 });
    const { body } = await upload(t, s, bytes);
    const exp = Number(new URL(body.data.url, 'http://api').searchParams.get('exp'));
    t.clock.set(new Date(exp * 1000 - 1000));
    expect((await fetchSigned(t, body.data.url)).status).toBe(200);

    t.clock.advance(1000);
    const expired = await t.http.get(body.data.url);

    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toContain('过期');
    const fresh = await t.http.get(`/api/uploads/${body.data.id}`).set(s.auth);
    expect(fresh.body.data.url).not.toBe(body.data.url);
    expect(sha256((await fetchSigned(t, fresh.body.data.url)).body as Buffer)).toBe(sha256(bytes));
  });

  it('when one file is signed twice within a few minutes, then the URL is the same (client caches hit)', async () => {
    const s = await login(t, 'cache-friendly');
    const { body } = await upload(t, s, png({ seed: 15 }));
    const exp = Number(new URL(body.data.url, 'http://api').searchParams.get('exp'));
    // Move to the start of an expiry window, then a few minutes within it. Signed in again at that
    // time: a token expiring further ahead than the signer ever issues is refused.
    t.clock.set(new Date((exp - SIGNED_URL_TTL_SECONDS - 599) * 1000));
    const then = await login(t, 'cache-friendly');
    const again = async () => (await t.http.get(`/api/uploads/${body.data.id}`).set(then.auth)).body.data.url;
    const first = await again();
    t.clock.advance(5 * MINUTE);

    expect(await again()).toBe(first);
  });

  it('when the upload row is gone, then a still-valid URL answers 404', async () => {
    const s = await login(t, 'vanished');
    const { body } = await upload(t, s, png({ seed: 16 }));
    await t.db('uploads').where({ id: body.data.id }).delete();

    const res = await t.http.get(body.data.url);

    expect(res.status).toBe(404);
  });

  it('when the stored file is missing on disk, then 404 rather than a broken stream', async () => {
    const s = await login(t, 'lost-file');
    const { body } = await upload(t, s, WEBP_LOSSLESS_3X2);
    const row = await t.db('uploads').where({ id: body.data.id }).first();
    fs.rmSync(path.join(root, row.storage_key));

    const res = await t.http.get(body.data.url);

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /api/uploads/:id', () => {
  it('when the owner or an admin asks, then a fresh signed URL and the metadata come back; anyone else gets 404', async () => {
    const owner = await login(t, 'meta-owner');
    const other = await login(t, 'meta-other');
    const bytes = png({ seed: 21, width: 7, height: 3 });
    const { body } = await upload(t, owner, bytes, { purpose: 'avatar' });

    const mine = await t.http.get(`/api/uploads/${body.data.id}`).set(owner.auth);
    const asAdmin = await t.http.get(`/api/uploads/${body.data.id}`).set(admin.auth);
    const asOther = await t.http.get(`/api/uploads/${body.data.id}`).set(other.auth);
    const unknown = await t.http.get('/api/uploads/999999').set(owner.auth);

    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual({
      id: body.data.id,
      url: expect.stringMatching(/^\/api\/files\/\d+\?exp=\d+&sig=/),
      purpose: 'avatar',
      mime: 'image/png',
      size: bytes.length,
      width: 7,
      height: 3,
      createdAt: expect.any(String),
    });
    expect(asAdmin.status).toBe(200);
    expect(asOther.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(asOther.body)).not.toContain('/api/files/');
  });

  it('when a certificate image is asked for, then only its owner and admins ever get a URL for it', async () => {
    const electrician = await login(t, 'cert-owner');
    const customer = await login(t, 'cert-snoop');
    const bytes = jpeg('certificate');
    const { body } = await upload(t, electrician, bytes, { purpose: 'certificate' });

    const snoop = await t.http.get(`/api/uploads/${body.data.id}`).set(customer.auth);
    const owner = await t.http.get(`/api/uploads/${body.data.id}`).set(electrician.auth);
    const staff = await t.http.get(`/api/uploads/${body.data.id}`).set(admin.auth);

    expect(snoop.status).toBe(404);
    expect(snoop.body.error.code).toBe('NOT_FOUND');
    expect(owner.status).toBe(200);
    expect(staff.status).toBe(200);
    expect(sha256((await fetchSigned(t, staff.body.data.url)).body as Buffer)).toBe(sha256(bytes));
  });

  it('when the id is not a positive number, then 400; without a token, 401', async () => {
    const s = await login(t, 'bad-id');

    expect((await t.http.get('/api/uploads/abc').set(s.auth)).status).toBe(400);
    expect((await t.http.get('/api/uploads/1')).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('when the document is read, then the upload route is documented as a multipart form', async () => {
    const res = await t.http.get('/api/openapi.json');

    const post = res.body.paths['/api/uploads'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(post.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({
      type: 'string',
      format: 'binary',
    });
    expect(res.body.paths['/api/files/{id}'].get.security).toEqual([]);
  });
});
