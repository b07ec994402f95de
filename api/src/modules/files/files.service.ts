import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { isUniqueViolation, type Db } from '../../db';
import type { Storage } from '../../integrations/storage/storage';
import type { Principal } from '../../shared/auth';
import { hasPermission, type Permission } from '../../shared/permissions';
import type { Clock } from '../../shared/clock';
import { AppError, forbidden, notFound, type ErrorDetail } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { FilesRepository, ResourceRef, Upload, UploadPurpose } from './files.repository';
import { inspectDocument, inspectImage } from './image-check';
import { SIGNED_URL_TTL_SECONDS, createUrlSigner } from './url-signer';

export { UPLOAD_PURPOSES, type UploadPurpose } from './files.repository';

/** The permission that lets staff read someone else's upload, by what it is for. */
const STAFF_READS: Record<UploadPurpose, Permission> = {
  order: 'orders.read',
  repair: 'orders.read',
  review: 'reviews.moderate',
  chat: 'chat.service',
  certificate: 'electricians.read',
  avatar: 'users.read',
  complaint: 'complaints.read',
  invoice: 'finance.invoices',
};

/**
 * Purposes only some staff may upload for: an invoice file is finance's (SPEC 3.12); the customer
 * sees it through the signed URL in their invoice, never by uploading one.
 */
const STAFF_UPLOADS: Partial<Record<UploadPurpose, Permission>> = { invoice: 'finance.invoices' };

/** What responses carry for an image: a signed, expiring URL and what a client needs to lay it out. */
export interface UploadRef {
  id: number;
  url: string;
  mime: string;
  width: number | null;
  height: number | null;
}

export interface UploadedFile {
  /** The temp file multer wrote; the caller removes it. */
  path: string;
  /** Never stored nor returned: stored names are random. */
  originalName?: string;
  size: number;
}

/** What GET /api/files/:id does with a valid signature. */
export type FileDelivery =
  { kind: 'stream'; upload: Upload; stream: Readable; size: number; maxAgeSeconds: number } | { kind: 'redirect'; url: string };

export interface FilesDeps {
  db: Db;
  uploads: FilesRepository;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  /** The JWT secret; file URL signatures use a key derived from it. */
  secret: string;
}

/** One offending id of an attach, at its position in the request field. */
type UploadProblem = ErrorDetail & { id: number };

const SIGNATURE_MESSAGES = {
  missing: '文件链接缺少签名',
  invalid: '文件链接签名无效',
  expired: '文件链接已过期，请刷新后重试',
} as const;

export function createFilesService(d: FilesDeps) {
  const signer = createUrlSigner(d.secret, d.clock);
  const log = d.logger.child({ module: 'files' });

  /** A URL the client can load without an Authorization header. */
  function signedUrl(u: Upload): string {
    if (u.storage === 'cos' && d.storage.driver === 'cos') return d.storage.signedGetUrl(u.key, SIGNED_URL_TTL_SECONDS);
    return signer.url(u.id);
  }

  const toRef = (u: Upload): UploadRef => ({ id: u.id, url: signedUrl(u), mime: u.mime, width: u.width, height: u.height });

  function keyFor(purpose: UploadPurpose, ext: string): string {
    const now = d.clock.now();
    const month = String(now.getUTCMonth() + 1).padStart(2, '0');
    return `${purpose}/${now.getUTCFullYear()}/${month}/${randomBytes(16).toString('hex')}.${ext}`;
  }

  async function removeQuietly(key: string) {
    try {
      await d.storage.delete(key);
    } catch (err) {
      log.error({ err, key }, 'could not delete a stored object; the cleanup job will not find it');
    }
  }

  /** Which of `ids` (by position) may not be attached, and why; the same message for missing and foreign ids. */
  function offending(
    ids: number[],
    rows: Upload[],
    ownerId: number,
    purpose: UploadPurpose,
    resource: ResourceRef,
    field: string,
  ): UploadProblem[] {
    const byId = new Map(rows.map((r) => [r.id, r]));
    const details: UploadProblem[] = [];
    ids.forEach((id, index) => {
      const u = byId.get(id);
      let message: string | undefined;
      if (!u || u.ownerId !== ownerId) message = '图片不存在或不属于你';
      else if (u.purpose !== purpose) message = `图片用途不符（需要 ${purpose}，实际为 ${u.purpose}）`;
      else if (u.attachedAt && (u.resourceType !== resource.type || u.resourceId !== resource.id))
        message = '图片已被其他内容使用';
      if (message) details.push({ path: ['body', field, index], code: 'INVALID_UPLOAD', message, id });
    });
    return details;
  }

  const invalidUpload = (details: UploadProblem[]) => new AppError('INVALID_UPLOAD', 400, '图片无效，请重新上传', details);

  /**
   * Stores an image (an invoice file: or a PDF) checked by its content. The same bytes from the same user for the same purpose
   * return the first record (`deduplicated`), even when two such uploads race.
   */
  async function upload(ownerId: number, purpose: UploadPurpose, file: UploadedFile) {
    // Invoices may be PDFs; every other purpose stays images only.
    const image = purpose === 'invoice' ? await inspectDocument(file.path) : await inspectImage(file.path);
    const result = (u: Upload, deduplicated: boolean) => ({
      id: u.id,
      url: signedUrl(u),
      sha256: u.sha256,
      size: u.size,
      mime: u.mime,
      width: u.width,
      height: u.height,
      deduplicated,
    });

    const existing = await d.uploads.findDuplicate(ownerId, image.sha256, purpose);
    if (existing) return result(existing, true);

    const key = keyFor(purpose, image.ext);
    await d.storage.put(key, file.path, image.mime);
    let id: number;
    try {
      id = await d.uploads.insert(
        {
          ownerId,
          purpose,
          storage: d.storage.driver,
          key,
          mime: image.mime,
          size: image.size,
          sha256: image.sha256,
          width: image.width,
          height: image.height,
        },
        d.clock.now(),
      );
    } catch (err) {
      await removeQuietly(key);
      if (!isUniqueViolation(err)) throw err;
      const first = await d.uploads.findDuplicate(ownerId, image.sha256, purpose);
      if (!first) throw err;
      return result(first, true);
    }
    return result((await d.uploads.findById(id))!, false);
  }

  return {
    upload,

    /**
     * An upload by a signed-in caller: purposes reserved to a staff permission (an invoice file:
     * `finance.invoices`) are refused to everyone else with 403 before the file is read.
     */
    async uploadAs(uploader: Principal, purpose: UploadPurpose, file: UploadedFile) {
      const needed = STAFF_UPLOADS[purpose];
      if (needed && !hasPermission(uploader, needed)) throw forbidden('只有财务人员可以上传发票文件');
      return upload(uploader.id, purpose, file);
    },

    /**
     * Attaches uploads to a resource inside the caller's transaction. Throws 400 INVALID_UPLOAD
     * (details: each offending id with path ['body', field, index]) unless every id is the owner's
     * upload of this purpose, free or already attached to this same resource (so retries are idempotent).
     */
    async attach(
      ownerId: number,
      ids: number[],
      purpose: UploadPurpose,
      resource: ResourceRef,
      trx?: Knex.Transaction,
      field = 'images',
    ): Promise<void> {
      if (ids.length === 0) return;
      const q = trx ?? d.db;
      const unique = [...new Set(ids)];
      const problems = offending(ids, await d.uploads.findByIds(unique, q), ownerId, purpose, resource, field);
      if (problems.length > 0) throw invalidUpload(problems);

      await d.uploads.markAttached(ownerId, unique, purpose, resource, d.clock.now(), q);
      // A concurrent attach to another resource (or the cleanup job) may have won between the read
      // and the conditional update: count what this resource really holds now.
      if ((await d.uploads.countAttachedTo(ownerId, unique, purpose, resource, q)) !== unique.length) {
        const lost = offending(ids, await d.uploads.findByIds(unique, q), ownerId, purpose, resource, field);
        throw invalidUpload(
          lost.length > 0
            ? lost
            : ids.map((id, index): UploadProblem => ({
                path: ['body', field, index],
                code: 'INVALID_UPLOAD',
                message: '图片已被其他内容使用',
                id,
              })),
        );
      }
    },

    /**
     * Detaches the owner's uploads of this purpose from a resource, except `keepIds`, inside the
     * caller's transaction: for a resource that holds one image at a time (an avatar), the one it
     * replaced becomes an orphan that the cleanup job removes. Returns how many were detached.
     */
    async detach(
      ownerId: number,
      purpose: UploadPurpose,
      resource: ResourceRef,
      keepIds: number[] = [],
      trx?: Knex.Transaction,
    ): Promise<number> {
      return d.uploads.detachFrom(ownerId, purpose, resource, keepIds, trx ?? d.db);
    },

    /**
     * Account deletion, inside its transaction: the owner's uploads of these purposes (avatar,
     * certificates) and every upload of theirs that nothing uses are detached. Returns them for
     * `purge` once the transaction has committed.
     */
    eraseOwned: (ownerId: number, purposes: UploadPurpose[], trx: Knex.Transaction): Promise<Upload[]> =>
      d.uploads.detachOwned(ownerId, purposes, trx),

    /**
     * Removes detached uploads now, rows and stored objects, one transaction each as the cleanup
     * job does (an upload attached again meanwhile is kept). One that cannot be removed now stays
     * unattached, so the cleanup job removes it on a later run. Returns how many were removed.
     */
    async purge(uploads: Upload[]): Promise<number> {
      let removed = 0;
      for (const u of uploads) {
        if (u.storage !== d.storage.driver) continue; // kept by a storage this process cannot reach; the job logs it
        try {
          const gone = await d.db.transaction(async (trx) => {
            if (!(await d.uploads.deleteIfUnattached(u.id, trx))) return false;
            await d.storage.delete(u.key);
            return true;
          });
          if (gone) removed += 1;
        } catch (err) {
          log.error({ err, uploadId: u.id }, 'could not remove an erased upload; the cleanup job will retry');
        }
      }
      return removed;
    },

    /**
     * Signed URLs for these uploads, in the given order, skipping ids that no longer exist. Callers
     * decide who may see what before calling (a certificate is only for its owner and admins).
     */
    async refs(ids: number[]): Promise<UploadRef[]> {
      const rows = new Map((await d.uploads.findByIds([...new Set(ids)])).map((u) => [u.id, u]));
      return ids.flatMap((id) => {
        const u = rows.get(id);
        return u ? [toRef(u)] : [];
      });
    },

    /**
     * An upload for its owner, or for staff holding the permission its purpose needs (a certificate
     * needs `electricians.read`, an order photo `orders.read`, …); anyone else gets 404, so ids do
     * not reveal what exists.
     */
    async get(viewer: Principal, id: number) {
      const u = await d.uploads.findById(id);
      if (!u || (u.ownerId !== viewer.id && !hasPermission(viewer, STAFF_READS[u.purpose]))) throw notFound('文件不存在');
      return { ...u, url: signedUrl(u) };
    },

    /** Checks a file URL's signature and says how to deliver the bytes. */
    async deliver(id: number, exp: string | undefined, sig: string | undefined): Promise<FileDelivery> {
      const check = signer.verify(id, exp, sig);
      if (!check.ok) throw forbidden(SIGNATURE_MESSAGES[check.reason]);
      const u = await d.uploads.findById(id);
      if (!u) throw notFound('文件不存在');
      if (u.storage === 'cos' && d.storage.driver === 'cos') {
        return { kind: 'redirect', url: d.storage.signedGetUrl(u.key, SIGNED_URL_TTL_SECONDS) };
      }
      if (u.storage !== d.storage.driver || d.storage.driver !== 'local') {
        log.warn({ uploadId: u.id, storage: u.storage }, 'upload is kept in a storage that is not configured');
        throw notFound('文件不存在');
      }
      const opened = await d.storage.open(u.key);
      if (!opened) {
        log.warn({ uploadId: u.id, key: u.key }, 'upload row without its file');
        throw notFound('文件不存在');
      }
      return {
        kind: 'stream',
        upload: u,
        stream: opened.stream,
        size: opened.size,
        maxAgeSeconds: signer.secondsUntil(check.exp),
      };
    },
  };
}

export type FilesService = ReturnType<typeof createFilesService>;
