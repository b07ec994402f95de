import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../../../../test/fixtures/images';
import { createTestApp, login, type Session, type TestApp } from '../../../../test/harness';
import { AppError } from '../../../shared/errors';
import type { UploadPurpose } from '../files.service';
import { fetchSigned, sha256, tempUploadRoot, upload } from './helpers';

let t: TestApp;
let root: string;
let seed = 0;
beforeAll(async () => {
  root = tempUploadRoot();
  t = await createTestApp({ env: { UPLOAD_ROOT: root } });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Uploads a distinct image through the API and returns its id. */
async function uploaded(s: Session, purpose: UploadPurpose = 'order'): Promise<number> {
  seed += 1;
  const res = await upload(t, s, png({ seed }), { purpose });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

/** Runs `attach` inside a transaction, as a module's service does, and returns the AppError it threw. */
async function attachError(...args: Parameters<TestApp['c']['services']['files']['attach']>): Promise<AppError> {
  const [ownerId, ids, purpose, resource, , field] = args;
  const error = await t.db
    .transaction((trx) => t.c.services.files.attach(ownerId, ids, purpose, resource, trx, field))
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('files.attach', () => {
  it('when my own uploads of the right purpose are attached, then they record the resource and the time', async () => {
    const s = await login(t, 'attach-ok');
    const ids = [await uploaded(s), await uploaded(s)];

    await t.db.transaction((trx) => t.c.services.files.attach(s.userId, ids, 'order', { type: 'order', id: 501 }, trx));

    const rows = await t.db('uploads').whereIn('id', ids).orderBy('id');
    for (const row of rows) {
      expect(row).toMatchObject({ resource_type: 'order', resource_id: 501 });
      expect(row.attached_at).not.toBeNull();
    }
  });

  it('when the same ids are attached again to the same resource, then it succeeds and changes nothing', async () => {
    const s = await login(t, 'attach-again');
    const ids = [await uploaded(s)];
    await t.c.services.files.attach(s.userId, ids, 'order', { type: 'order', id: 502 });
    const before = await t.db('uploads').where({ id: ids[0] }).first();
    t.clock.advance(60_000);

    await t.c.services.files.attach(s.userId, [...ids, ...ids], 'order', { type: 'order', id: 502 });

    expect(await t.db('uploads').where({ id: ids[0] }).first()).toEqual(before);
  });

  it("when another user's upload is among the ids, then 400 INVALID_UPLOAD names it by position and nothing is attached", async () => {
    const me = await login(t, 'attach-me');
    const someone = await login(t, 'attach-someone');
    const mine = await uploaded(me);
    const theirs = await uploaded(someone);

    const error = await attachError(me.userId, [mine, theirs], 'order', { type: 'order', id: 503 }, undefined, 'images');

    expect(error).toMatchObject({ code: 'INVALID_UPLOAD', status: 400 });
    expect(error.details).toEqual([
      { path: ['body', 'images', 1], code: 'INVALID_UPLOAD', message: expect.any(String), id: theirs },
    ]);
    expect((await t.db('uploads').where({ id: mine }).first()).attached_at).toBeNull();
    expect((await t.db('uploads').where({ id: theirs }).first()).attached_at).toBeNull();
  });

  it('when an id does not exist, then it is reported with the same message as a foreign one', async () => {
    const me = await login(t, 'attach-missing');
    const someone = await login(t, 'attach-missing-other');
    const theirs = await uploaded(someone);

    const error = await attachError(me.userId, [999_999, theirs], 'order', { type: 'order', id: 504 });

    const [missing, foreign] = error.details as { message: string; id: number; path: unknown[] }[];
    expect(missing).toMatchObject({ id: 999_999, path: ['body', 'images', 0] });
    expect(foreign).toMatchObject({ id: theirs, path: ['body', 'images', 1] });
    expect(missing!.message).toBe(foreign!.message);
  });

  it('when an upload was made for another purpose, then 400 and the field named by the caller is in the path', async () => {
    const s = await login(t, 'attach-purpose');
    const certificate = await uploaded(s, 'certificate');

    const error = await attachError(s.userId, [certificate], 'repair', { type: 'order', id: 505 }, undefined, 'repairImages');

    expect(error.details).toEqual([
      {
        path: ['body', 'repairImages', 0],
        code: 'INVALID_UPLOAD',
        message: expect.stringContaining('certificate'),
        id: certificate,
      },
    ]);
    expect((await t.db('uploads').where({ id: certificate }).first()).attached_at).toBeNull();
  });

  it('when an upload is already attached to a different resource, then 400 and it stays where it was', async () => {
    const s = await login(t, 'attach-elsewhere');
    const id = await uploaded(s);
    await t.c.services.files.attach(s.userId, [id], 'order', { type: 'order', id: 506 });

    const otherOrder = await attachError(s.userId, [id], 'order', { type: 'order', id: 507 });
    const otherType = await attachError(s.userId, [id], 'order', { type: 'complaint', id: 506 });

    expect(otherOrder.details).toMatchObject([{ id, path: ['body', 'images', 0] }]);
    expect(otherType.code).toBe('INVALID_UPLOAD');
    expect(await t.db('uploads').where({ id }).first()).toMatchObject({ resource_type: 'order', resource_id: 506 });
  });

  it('when the caller rolls its transaction back, then the uploads are free again', async () => {
    const s = await login(t, 'attach-rollback');
    const id = await uploaded(s);

    await t.db
      .transaction(async (trx) => {
        await t.c.services.files.attach(s.userId, [id], 'order', { type: 'order', id: 508 }, trx);
        throw new Error('the order insert failed');
      })
      .catch(() => undefined);

    expect((await t.db('uploads').where({ id }).first()).attached_at).toBeNull();
    await t.c.services.files.attach(s.userId, [id], 'order', { type: 'order', id: 509 });
    expect((await t.db('uploads').where({ id }).first()).resource_id).toBe(509);
  });

  it('when two resources attach the same upload at once, then exactly one gets it', async () => {
    const s = await login(t, 'attach-race');
    const id = await uploaded(s);

    const results = await Promise.allSettled(
      [510, 511].map((orderId) =>
        t.db.transaction((trx) => t.c.services.files.attach(s.userId, [id], 'order', { type: 'order', id: orderId }, trx)),
      ),
    );

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = [510, 511][results.findIndex((r) => r.status === 'fulfilled')];
    expect((await t.db('uploads').where({ id }).first()).resource_id).toBe(winner);
  });

  it('when no ids are given, then nothing happens', async () => {
    const s = await login(t, 'attach-none');

    await expect(t.c.services.files.attach(s.userId, [], 'order', { type: 'order', id: 512 })).resolves.toBeUndefined();
  });
});

describe('files.refs', () => {
  it('when refs are asked for, then signed URLs come back in the given order, skipping ids that are gone, and each one works', async () => {
    const s = await login(t, 'refs');
    const a = png({ seed: 900, width: 2, height: 9 });
    const b = png({ seed: 901, width: 6, height: 1 });
    const idA = (await upload(t, s, a)).body.data.id;
    const idB = (await upload(t, s, b, { purpose: 'review' })).body.data.id;

    const refs = await t.c.services.files.refs([idB, 999_999, idA, idB]);

    expect(refs.map((r) => r.id)).toEqual([idB, idA, idB]);
    expect(refs[0]).toEqual({ id: idB, url: expect.stringMatching(/^\/api\/files\//), mime: 'image/png', width: 6, height: 1 });
    expect(refs[1]).toMatchObject({ width: 2, height: 9 });
    expect(sha256((await fetchSigned(t, refs[0]!.url)).body as Buffer)).toBe(sha256(b));
    expect(sha256((await fetchSigned(t, refs[1]!.url)).body as Buffer)).toBe(sha256(a));
  });

  it('when no ids are given, then no refs come back', async () => {
    expect(await t.c.services.files.refs([])).toEqual([]);
  });
});
