import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import type { StorageDriver } from '../../integrations/storage/storage';
import { toDate } from '../../shared/rows';

export const UPLOAD_PURPOSES = ['order', 'repair', 'review', 'chat', 'certificate', 'avatar', 'complaint', 'invoice'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

export interface Upload {
  id: number;
  ownerId: number;
  purpose: UploadPurpose;
  storage: StorageDriver;
  key: string;
  mime: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  resourceType: string | null;
  resourceId: number | null;
  attachedAt: Date | null;
  createdAt: Date;
}

/** What an upload is before it is stored: no id yet, attached to nothing. */
export type NewUpload = Omit<Upload, 'id' | 'resourceType' | 'resourceId' | 'attachedAt' | 'createdAt'>;

export interface ResourceRef {
  type: string;
  id: number;
}

type Row = Record<string, unknown>;
type Q = Knex | Knex.Transaction;

const nullableNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function mapUpload(r: Row): Upload {
  return {
    id: Number(r.id),
    ownerId: Number(r.owner_id),
    purpose: r.purpose as UploadPurpose,
    storage: r.storage as StorageDriver,
    key: String(r.storage_key),
    mime: String(r.mime),
    size: Number(r.size),
    sha256: String(r.sha256),
    width: nullableNumber(r.width),
    height: nullableNumber(r.height),
    resourceType: (r.resource_type as string | null) ?? null,
    resourceId: nullableNumber(r.resource_id),
    attachedAt: toDate(r.attached_at),
    createdAt: toDate(r.created_at)!,
  };
}

export function createFilesRepository(db: Db) {
  return {
    async findById(id: number, trx: Q = db): Promise<Upload | undefined> {
      const row = await trx('uploads').where({ id }).first();
      return row ? mapUpload(row) : undefined;
    },

    async findByIds(ids: number[], trx: Q = db): Promise<Upload[]> {
      if (ids.length === 0) return [];
      const rows = await trx('uploads').whereIn('id', ids);
      return rows.map(mapUpload);
    },

    async findDuplicate(ownerId: number, sha256: string, purpose: UploadPurpose): Promise<Upload | undefined> {
      const row = await db('uploads').where({ owner_id: ownerId, sha256, purpose }).first();
      return row ? mapUpload(row) : undefined;
    },

    async insert(u: NewUpload, now: Date): Promise<number> {
      return insertId(db, 'uploads', {
        owner_id: u.ownerId,
        purpose: u.purpose,
        storage: u.storage,
        storage_key: u.key,
        mime: u.mime,
        size: u.size,
        sha256: u.sha256,
        width: u.width,
        height: u.height,
        created_at: now,
      });
    },

    /** Attaches those of `ids` that are the owner's, of this purpose and not yet attached; returns nothing. */
    async markAttached(ownerId: number, ids: number[], purpose: UploadPurpose, resource: ResourceRef, now: Date, trx: Q = db) {
      await trx('uploads')
        .whereIn('id', ids)
        .where({ owner_id: ownerId, purpose })
        .whereNull('attached_at')
        .update({ resource_type: resource.type, resource_id: resource.id, attached_at: now });
    },

    /** How many of `ids` are the owner's uploads of this purpose attached to exactly this resource. */
    async countAttachedTo(ownerId: number, ids: number[], purpose: UploadPurpose, resource: ResourceRef, trx: Q = db) {
      const row = await trx('uploads')
        .whereIn('id', ids)
        .where({ owner_id: ownerId, purpose, resource_type: resource.type, resource_id: resource.id })
        .whereNotNull('attached_at')
        .count({ n: '*' })
        .first();
      return Number(row?.n ?? 0);
    },

    /**
     * Detaches the owner's uploads of this purpose from the resource, except `keepIds`: they are
     * unattached again, so the cleanup job removes them. For a resource that holds one image at a
     * time (an avatar) when it is replaced.
     */
    async detachFrom(ownerId: number, purpose: UploadPurpose, resource: ResourceRef, keepIds: number[], trx: Q = db) {
      return trx('uploads')
        .where({ owner_id: ownerId, purpose, resource_type: resource.type, resource_id: resource.id })
        .modify((b) => {
          if (keepIds.length > 0) b.whereNotIn('id', keepIds);
        })
        .update({ resource_type: null, resource_id: null, attached_at: null });
    },

    /** Never-attached uploads created before `cutoff`, in id order after `afterId`. */
    async findOrphans(cutoff: Date, afterId: number, limit: number): Promise<Upload[]> {
      const rows = await db('uploads')
        .whereNull('attached_at')
        .where('created_at', '<', cutoff)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit);
      return rows.map(mapUpload);
    },

    /** Deletes the row only while it is still unattached: an upload attached meanwhile survives. */
    async deleteIfUnattached(id: number, trx: Q = db): Promise<boolean> {
      const n = await trx('uploads').where({ id }).whereNull('attached_at').delete();
      return n > 0;
    },

    /**
     * Detaches the owner's uploads of these purposes and returns them with the owner's never-attached
     * ones (account deletion): all of them are then unattached, for `deleteIfUnattached`.
     */
    async detachOwned(ownerId: number, purposes: UploadPurpose[], trx: Q = db): Promise<Upload[]> {
      const rows = await trx('uploads')
        .where({ owner_id: ownerId })
        .where((w) => w.whereIn('purpose', purposes).orWhereNull('attached_at'));
      const ids = rows.map((r) => Number(r.id));
      if (ids.length > 0)
        await trx('uploads').whereIn('id', ids).update({ resource_type: null, resource_id: null, attached_at: null });
      return rows.map(mapUpload);
    },
  };
}

export type FilesRepository = ReturnType<typeof createFilesRepository>;
