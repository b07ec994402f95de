import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { png } from '../../../../test/fixtures/images';
import { count, createTestApp, login, type Session, type TestApp } from '../../../../test/harness';
import type { Storage } from '../../../integrations/storage/storage';
import { cleanupOrphanUploads } from '../../../jobs/uploads-cleanup';
import { DAY, HOUR } from '../../../shared/clock';
import { upload, tempUploadRoot } from './helpers';
import { createFilesRepository } from '../files.repository';

/** Each test gets an app of its own, so the orphans it counts are only the ones it made. */
async function withApp(fn: (t: TestApp, root: string) => Promise<void>): Promise<void> {
  const root = tempUploadRoot();
  const t = await createTestApp({ env: { UPLOAD_ROOT: root } });
  try {
    await fn(t, root);
  } finally {
    await t.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

let seed = 0;
async function uploaded(t: TestApp, s: Session) {
  seed += 1;
  const res = await upload(t, s, png({ seed }));
  expect(res.status).toBe(201);
  const row = await t.db('uploads').where({ id: res.body.data.id }).first();
  return { id: Number(row.id), key: String(row.storage_key) };
}

const run = (t: TestApp, storage: Storage = t.c.storage, options?: { batch?: number }) =>
  cleanupOrphanUploads({ db: t.db, storage, clock: t.clock, logger: t.c.logger }, options);

describe('cleanupOrphanUploads', () => {
  it('when there are no uploads at all, then it removes nothing', async () => {
    await withApp(async (t) => {
      expect(await run(t)).toBe(0);
    });
  });

  it('when uploads are old and unattached, then only those are removed (row and file); young and attached ones stay', async () => {
    await withApp(async (t, root) => {
      const s = await login(t, 'cleanup-owner');
      const old = await uploaded(t, s);
      const attached = await uploaded(t, s);
      await t.c.services.files.attach(s.userId, [attached.id], 'order', { type: 'order', id: 1 });
      t.clock.advance(23 * HOUR);
      const young = await uploaded(t, await login(t, 'cleanup-owner'));
      t.clock.advance(2 * HOUR);

      const removed = await run(t);

      expect(removed).toBe(1);
      expect(await t.db('uploads').where({ id: old.id }).first()).toBeUndefined();
      expect(fs.existsSync(path.join(root, old.key))).toBe(false);
      for (const kept of [attached, young]) {
        expect(await t.db('uploads').where({ id: kept.id }).first()).toBeDefined();
        expect(fs.existsSync(path.join(root, kept.key))).toBe(true);
      }
      expect(await run(t)).toBe(0);
    });
  });

  it('when there are more orphans than one batch, then every one of them is removed', async () => {
    await withApp(async (t, root) => {
      const s = await login(t, 'cleanup-many');
      const orphans = [];
      for (let i = 0; i < 5; i++) orphans.push(await uploaded(t, s));
      t.clock.advance(DAY + 1);

      expect(await run(t, t.c.storage, { batch: 2 })).toBe(5);

      expect(await count(t.db, 'uploads')).toBe(0);
      for (const o of orphans) expect(fs.existsSync(path.join(root, o.key))).toBe(false);
    });
  });

  it('when the storage cannot delete an object, then its row stays for the next run and the other orphans still go', async () => {
    await withApp(async (t, root) => {
      const s = await login(t, 'cleanup-stuck');
      const stuck = await uploaded(t, s);
      const fine = await uploaded(t, s);
      t.clock.advance(DAY + 1);
      const refusing: Storage = {
        ...t.c.storage,
        delete: async (key: string) => {
          if (key === stuck.key) throw new Error('EACCES: permission denied');
          return t.c.storage.delete(key);
        },
      } as Storage;

      expect(await run(t, refusing)).toBe(1);

      expect(await t.db('uploads').where({ id: stuck.id }).first()).toBeDefined();
      expect(fs.existsSync(path.join(root, stuck.key))).toBe(true);
      expect(await t.db('uploads').where({ id: fine.id }).first()).toBeUndefined();
      expect(await run(t)).toBe(1);
      expect(fs.existsSync(path.join(root, stuck.key))).toBe(false);
    });
  });

  it('when an orphan is attached after the job listed it, then the conditional delete spares it and its file', async () => {
    await withApp(async (t, root) => {
      const s = await login(t, 'cleanup-late-attach');
      const late = await uploaded(t, s);
      t.clock.advance(DAY + 1);
      const repository = createFilesRepository(t.db);
      const listed = await repository.findOrphans(new Date(t.clock.now().getTime() - DAY), 0, 10);
      expect(listed.map((u) => u.id)).toEqual([late.id]);

      await t.c.services.files.attach(s.userId, [late.id], 'order', { type: 'order', id: 7 });

      expect(await repository.deleteIfUnattached(late.id)).toBe(false);
      expect(await run(t)).toBe(0);
      expect(await t.db('uploads').where({ id: late.id }).first()).toMatchObject({ resource_id: 7 });
      expect(fs.existsSync(path.join(root, late.key))).toBe(true);
    });
  });
});
