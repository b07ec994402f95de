import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { batched } from '../../shared/batched';
import { whereContains } from '../../shared/rows';
import { accountOf, type UserProfiles } from '../users';
import {
  applicationColumns,
  mapElectrician,
  patchColumns,
  withUser,
  type Electrician,
  type ElectricianCardSource,
  type ElectricianPatch,
  type ElectricianWithUser,
  type NewElectrician,
  type VerificationDecision,
  type VerificationStatus,
} from './electrician-rows';
import { createElectricianWork } from './electrician-work.repository';

export {
  mapElectrician,
  type CertificateType,
  type Electrician,
  type ElectricianCardSource,
  type ElectricianPatch,
  type ElectricianWithUser,
  type NewElectrician,
  type VerificationDecision,
  type VerificationStatus,
  type WorkStatus,
} from './electrician-rows';

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/**
 * The electricians table. Here: the profile and the application — finding, applying and applying
 * again, the staff decision and queue, the cards on order pages, what account deletion locks and
 * erases. The electrician at work (slots, candidates, location, rating, earnings) is
 * `createElectricianWork` (electrician-work.repository.ts).
 *
 * `accounts`: the users module's profiles (the account behind an application, as staff see it).
 */
export function createElectriciansRepository(db: Db, accounts: UserProfiles) {
  /** The electricians with their accounts: one query for the accounts of the whole list. */
  async function withUsers(list: Electrician[], trx: Conn = db): Promise<ElectricianWithUser[]> {
    const profiles = await accounts.profiles(
      list.map((e) => e.userId),
      trx,
    );
    return list.map((e) => withUser(e, profiles.get(e.userId)));
  }

  /**
   * The cards of a page of orders' electricians (name, rating, completed orders, phone, avatar),
   * by id: one query, their accounts joined to it (the users module's `withAccount`), whatever
   * the page's size. An order's push after each step reads it; the pushes of concurrent steps
   * share one query (`batched`).
   */
  const cards = batched(async (ids: number[]): Promise<Map<number, ElectricianCardSource>> => {
    const rows = (await accounts.withAccount(
      db('electricians as e').whereIn('e.id', ids).select('e.id', 'e.real_name', 'e.rating', 'e.completed_orders'),
      'e.user_id',
    )) as Row[];
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          id: Number(r.id),
          realName: String(r.real_name),
          rating: Number(r.rating),
          completedOrders: Number(r.completed_orders),
          ...accountOf(r),
        },
      ]),
    );
  });

  return {
    ...createElectricianWork(db),

    async findById(id: number, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ id }).first();
      return r ? mapElectrician(r) : undefined;
    },

    async findByUserId(userId: number, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ user_id: userId }).first();
      return r ? mapElectrician(r) : undefined;
    },

    /** The profiles of `userIds` (those who have one), in one query. */
    async findByUserIds(userIds: readonly number[]): Promise<Electrician[]> {
      if (userIds.length === 0) return [];
      const rows = (await db('electricians').whereIn('user_id', [...userIds])) as Row[];
      return rows.map(mapElectrician);
    },

    async insert(e: NewElectrician, now: Date, trx: Conn = db): Promise<number> {
      return insertId(trx, 'electricians', {
        user_id: e.userId,
        ...applicationColumns(e),
        created_at: now,
        updated_at: now,
      });
    },

    async update(id: number, patch: ElectricianPatch, now: Date, trx: Conn = db): Promise<void> {
      await trx('electricians')
        .where({ id })
        .update({ ...patchColumns(patch), updated_at: now });
    },

    async findByIdCardHash(hash: string, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ id_card_hash: hash }).first();
      return r ? mapElectrician(r) : undefined;
    },

    async findByCertificateNumber(certificateNumber: string, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ certificate_number: certificateNumber }).first();
      return r ? mapElectrician(r) : undefined;
    },

    /**
     * A rejected applicant applies again: the row gets the new data and goes back to pending. The
     * condition on `rejected` makes a second, concurrent reapplication (or one racing a decision) a no-op.
     */
    async reapply(id: number, e: Omit<NewElectrician, 'userId'>, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('electricians')
        .where({ id, verification_status: 'rejected' })
        .update({
          ...applicationColumns(e),
          verification_note: null,
          verified_at: null,
          verified_by: null,
          updated_at: now,
        });
      return n === 1;
    },

    /** Decides a pending application; false when it was not pending (already decided, or never was). */
    async setVerification(id: number, d: VerificationDecision, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('electricians')
        .where({ id, verification_status: 'pending' })
        .update({
          verification_status: d.approved ? 'approved' : 'rejected',
          verification_note: d.note,
          verified_at: d.approved ? now : null,
          verified_by: d.approved ? d.actorId : null,
          updated_at: now,
        });
      return n === 1;
    },

    async findWithUser(id: number, trx: Conn = db): Promise<ElectricianWithUser | undefined> {
      const r = await trx('electricians').where({ id }).first();
      return r ? (await withUsers([mapElectrician(r)], trx))[0] : undefined;
    },

    /**
     * The staff verification queue: newest first, with the applicant's account; `keyword` is literal
     * and also matches the account's phone and nickname (through the users module's subquery).
     */
    async listForAdmin(q: {
      verificationStatus?: VerificationStatus;
      keyword?: string;
      offset: number;
      limit: number;
    }): Promise<{ items: ElectricianWithUser[]; total: number }> {
      const filter = (b: Knex.QueryBuilder) => {
        if (q.verificationStatus) b.where('verification_status', q.verificationStatus);
        if (q.keyword)
          whereContains(b, ['real_name', 'certificate_number'], q.keyword, [
            ['user_id', accounts.idsContaining(q.keyword, ['phone', 'nickname'])],
          ]);
      };
      const [rows, totalRow] = await Promise.all([
        db('electricians').modify(filter).orderBy('id', 'desc').offset(q.offset).limit(q.limit),
        db('electricians').modify(filter).count({ n: '*' }).first(),
      ]);
      return { items: await withUsers((rows as Row[]).map(mapElectrician)), total: Number(totalRow?.n ?? 0) };
    },

    cards,

    /** The user's profile, its row locked until the transaction ends (MySQL; SQLite serialises writers). */
    async lockByUserId(userId: number, trx: Knex.Transaction): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ user_id: userId }).forUpdate().first();
      return r ? mapElectrician(r) : undefined;
    },

    /**
     * Erases a deleted account's profile: name, ID card (cipher text, hash and last digits),
     * certificate number and images, introduction, work photos and location. The row stays, since
     * orders, quotes, reviews and payments of the books point at it, but it can never take an order
     * again (no longer approved, offline), and its card and certificate are free for a new application.
     */
    async erase(id: number, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('electricians')
        .where({ id })
        .update({
          real_name: '已注销',
          id_card_enc: '',
          id_card_hash: `deleted:${id}`,
          id_card_last4: '',
          certificate_number: `deleted:${id}`,
          certificate_images: JSON.stringify([]),
          work_images: null,
          introduction: null,
          service_areas: JSON.stringify([]),
          current_latitude: null,
          current_longitude: null,
          location_updated_at: null,
          work_status: 'offline',
          emergency_available: false,
          verification_status: 'rejected',
          verification_note: '账号已注销',
          updated_at: now,
        });
    },
  };
}

export type ElectriciansRepository = ReturnType<typeof createElectriciansRepository>;
