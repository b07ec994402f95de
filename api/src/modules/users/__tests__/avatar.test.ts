import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../../../test/fixtures/images';
import { createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { cleanupOrphanUploads } from '../../../jobs/uploads-cleanup';
import { DAY } from '../../../shared/clock';
import { fetchSigned, upload } from '../../files/__tests__/helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let seed = 0;
/** POSTs a fresh image as `s` and returns its upload id and bytes. */
async function uploaded(s: Session, purpose = 'avatar') {
  seed += 1;
  const bytes = png({ seed: 1000 + seed });
  const res = await upload(t, s, bytes, { purpose, filename: 'avatar.png', contentType: 'image/png' });
  expect(res.status).toBe(201);
  return { id: Number(res.body.data.id), bytes };
}

const userRow = (s: Session) => t.db('users').where({ id: s.userId }).first();
const uploadRow = (id: number) => t.db('uploads').where({ id }).first();
const storedFile = async (id: number) => path.join(t.config.storage.uploadRoot, String((await uploadRow(id)).storage_key));
const runCleanup = () => cleanupOrphanUploads({ db: t.db, storage: t.c.storage, clock: t.clock, logger: t.c.logger });

describe('my avatar as an upload', () => {
  it('when I set my own avatar upload, then the profile shows a signed URL that serves the image and the upload is attached to me', async () => {
    const s = await login(t, 'avatar-own');
    const avatar = await uploaded(s);

    const res = await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: avatar.id, nickname: '新昵称' });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      nickname: '新昵称',
      avatarUrl: expect.stringMatching(/^\/api\/files\/\d+\?exp=\d+&sig=/),
    });
    expect(res.body.data).not.toHaveProperty('avatarUploadId');
    const me = await t.http.get('/api/users/me').set(s.auth);
    const served = await fetchSigned(t, me.body.data.avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, avatar.bytes)).toBe(0);
    expect(await userRow(s)).toMatchObject({ avatar: null, avatar_upload_id: avatar.id });
    expect(await uploadRow(avatar.id)).toMatchObject({ resource_type: 'user', resource_id: s.userId });
    expect((await uploadRow(avatar.id)).attached_at).not.toBeNull();
  });

  it('when the mini-program saves the same avatar again with PUT, then it succeeds and changes nothing about the upload', async () => {
    const s = await login(t, 'avatar-put');
    const avatar = await uploaded(s);
    expect((await t.http.put('/api/users/me').set(s.auth).send({ avatarUploadId: avatar.id })).status).toBe(200);
    const attached = await uploadRow(avatar.id);

    const again = await t.http.put('/api/users/me').set(s.auth).send({ avatarUploadId: avatar.id });

    expect(again.status).toBe(200);
    expect(again.body.data.avatarUrl).toMatch(new RegExp(`^/api/files/${avatar.id}\\?`));
    expect(await uploadRow(avatar.id)).toEqual(attached);
  });

  it('when the avatar upload is not mine, of another purpose or unknown, then 400 INVALID_UPLOAD and neither the profile nor the upload changes', async () => {
    const s = await login(t, 'avatar-thief');
    const someone = await login(t, 'avatar-victim');
    const theirs = await uploaded(someone);
    const orderPhoto = await uploaded(s, 'order');
    const before = await userRow(s);

    for (const id of [theirs.id, orderPhoto.id, 999_999]) {
      const res = await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: id, nickname: '不该生效' });
      expect(res.status, String(id)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_UPLOAD');
      expect(res.body.error.details[0]).toMatchObject({ path: ['body', 'avatarUploadId', 0], id });
    }

    expect(await userRow(s)).toEqual(before);
    for (const id of [theirs.id, orderPhoto.id]) expect((await uploadRow(id)).attached_at).toBeNull();
  });

  it('when both avatarUrl and avatarUploadId are sent, or the id is not a positive integer, then 400 VALIDATION_FAILED and nothing changes', async () => {
    const s = await login(t, 'avatar-both');
    const avatar = await uploaded(s);
    const before = await userRow(s);

    const both = await t.http
      .patch('/api/users/me')
      .set(s.auth)
      .send({ avatarUrl: 'https://cdn.example.com/a.png', avatarUploadId: avatar.id });
    const malformed = await t.http.put('/api/users/me').set(s.auth).send({ avatarUploadId: '12abc' });

    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    expect(both.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(['body.avatarUploadId']);
    expect(malformed.status).toBe(400);
    expect(await userRow(s)).toEqual(before);
    expect((await uploadRow(avatar.id)).attached_at).toBeNull();
  });

  it('when a day passes, then the cleanup job keeps my avatar upload and its file; the avatar it replaced is detached and removed', async () => {
    const s = await login(t, 'avatar-cleanup');
    const first = await uploaded(s);
    const second = await uploaded(s);
    await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: first.id });
    const firstFile = await storedFile(first.id);
    expect((await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: second.id })).status).toBe(200);
    expect(await uploadRow(first.id)).toMatchObject({ attached_at: null, resource_type: null, resource_id: null });

    t.clock.advance(DAY + 1);
    await runCleanup();

    expect(await uploadRow(first.id)).toBeUndefined();
    expect(fs.existsSync(firstFile)).toBe(false);
    expect(await uploadRow(second.id)).toBeDefined();
    expect(fs.existsSync(await storedFile(second.id))).toBe(true);
    const me = await t.http.get('/api/users/me').set((await login(t, 'avatar-cleanup')).auth);
    expect((await fetchSigned(t, me.body.data.avatarUrl)).status).toBe(200);
    expect((await userRow(s)).avatar_upload_id).toBe(second.id);
  });

  it('when I switch back to a plain avatar URL, then the URL shows as before and the upload is left for the cleanup job', async () => {
    const s = await login(t, 'avatar-back');
    const avatar = await uploaded(s);
    await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: avatar.id });

    const res = await t.http.put('/api/users/me').set(s.auth).send({ avatarUrl: 'https://cdn.example.com/plain.png' });

    expect(res.status).toBe(200);
    expect(res.body.data.avatarUrl).toBe('https://cdn.example.com/plain.png');
    expect(await userRow(s)).toMatchObject({ avatar: 'https://cdn.example.com/plain.png', avatar_upload_id: null });
    expect((await uploadRow(avatar.id)).attached_at).toBeNull();
  });

  it('when staff list users, then an uploaded avatar is a signed URL too', async () => {
    const admin = await loginAsAdmin(t);
    const s = await login(t, 'avatar-listed');
    const avatar = await uploaded(s);
    await t.http.patch('/api/users/me').set(s.auth).send({ avatarUploadId: avatar.id });

    const res = await t.http.get('/api/admin/users').query({ keyword: 'avatar-listed' }).set(admin.auth);

    expect(res.status).toBe(200);
    expect(res.body.data[0].avatarUrl).toMatch(new RegExp(`^/api/files/${avatar.id}\\?exp=`));
  });
});

describe('the OpenAPI document', () => {
  it('when it is read, then the profile update documents avatarUploadId beside avatarUrl', async () => {
    const res = await t.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body.paths['/api/users/me']);
    expect(text).toContain('avatarUploadId');
  });
});
