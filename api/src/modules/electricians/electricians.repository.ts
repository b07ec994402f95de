import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { fromJson, toBool, toDate, whereContains } from '../../shared/rows';
import { NO_AVATAR, type AvatarSource, type UserProfile, type UserProfiles } from '../users';

export type CertificateType = 'low_voltage' | 'high_voltage' | 'special';
export type WorkStatus = 'available' | 'busy' | 'offline';
export type VerificationStatus = 'pending' | 'approved' | 'rejected';

export interface Electrician {
  id: number;
  userId: number;
  realName: string;
  idCardEnc: string;
  idCardLast4: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: number[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  workStatus: WorkStatus;
  verificationStatus: VerificationStatus;
  verificationNote: string | null;
  verifiedAt: Date | null;
  verifiedBy: number | null;
  rating: number;
  ratingCount: number;
  totalOrders: number;
  completedOrders: number;
  releasedOrders: number;
  activeOrders: number;
  totalEarnings: number;
  latitude: number | null;
  longitude: number | null;
  locationUpdatedAt: Date | null;
  emergencyAvailable: boolean;
  minOrderAmount: number;
  introduction: string | null;
  workImages: number[];
  createdAt: Date;
  updatedAt: Date;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function mapElectrician(r: Row): Electrician {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    realName: String(r.real_name),
    idCardEnc: String(r.id_card_enc),
    idCardLast4: String(r.id_card_last4),
    certificateNumber: String(r.certificate_number),
    certificateType: r.certificate_type as CertificateType,
    certificateImages: fromJson<number[]>(r.certificate_images, []),
    experienceYears: Number(r.experience_years),
    specialties: fromJson<string[]>(r.specialties, []),
    serviceAreas: fromJson<string[]>(r.service_areas, []),
    workStatus: r.work_status as WorkStatus,
    verificationStatus: r.verification_status as VerificationStatus,
    verificationNote: (r.verification_note as string | null) ?? null,
    verifiedAt: toDate(r.verified_at),
    verifiedBy: num(r.verified_by),
    rating: Number(r.rating),
    ratingCount: Number(r.rating_count),
    totalOrders: Number(r.total_orders),
    completedOrders: Number(r.completed_orders),
    releasedOrders: Number(r.released_orders),
    activeOrders: Number(r.active_orders),
    totalEarnings: Number(r.total_earnings),
    latitude: num(r.current_latitude),
    longitude: num(r.current_longitude),
    locationUpdatedAt: toDate(r.location_updated_at),
    emergencyAvailable: toBool(r.emergency_available),
    minOrderAmount: Number(r.min_order_amount),
    introduction: (r.introduction as string | null) ?? null,
    workImages: fromJson<number[]>(r.work_images, []),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export interface NewElectrician {
  userId: number;
  realName: string;
  idCardEnc: string;
  idCardHash: string;
  idCardLast4: string;
  certificateNumber: string;
  certificateType: CertificateType;
  certificateImages: number[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  introduction?: string | null;
}

export interface ElectricianPatch {
  workStatus?: WorkStatus;
  emergencyAvailable?: boolean;
  minOrderAmount?: number;
  serviceAreas?: string[];
  specialties?: string[];
  introduction?: string | null;
  latitude?: number;
  longitude?: number;
  locationUpdatedAt?: Date;
}

function patchColumns(p: ElectricianPatch): Row {
  const row: Row = {};
  if (p.workStatus !== undefined) row.work_status = p.workStatus;
  if (p.emergencyAvailable !== undefined) row.emergency_available = p.emergencyAvailable;
  if (p.minOrderAmount !== undefined) row.min_order_amount = p.minOrderAmount;
  if (p.serviceAreas !== undefined) row.service_areas = JSON.stringify(p.serviceAreas);
  if (p.specialties !== undefined) row.specialties = JSON.stringify(p.specialties);
  if (p.introduction !== undefined) row.introduction = p.introduction;
  if (p.latitude !== undefined) row.current_latitude = p.latitude;
  if (p.longitude !== undefined) row.current_longitude = p.longitude;
  if (p.locationUpdatedAt !== undefined) row.location_updated_at = p.locationUpdatedAt;
  return row;
}

/** The columns an application writes, fresh or again after a rejection: it goes back to pending. */
function applicationColumns(e: Omit<NewElectrician, 'userId'>): Row {
  return {
    real_name: e.realName,
    id_card_enc: e.idCardEnc,
    id_card_hash: e.idCardHash,
    id_card_last4: e.idCardLast4,
    certificate_number: e.certificateNumber,
    certificate_type: e.certificateType,
    certificate_images: JSON.stringify(e.certificateImages),
    experience_years: e.experienceYears,
    specialties: JSON.stringify(e.specialties),
    service_areas: JSON.stringify(e.serviceAreas),
    introduction: e.introduction ?? null,
    work_status: 'offline',
    verification_status: 'pending',
  };
}

/** `accounts`: the users module's profiles (the account behind an application, as staff see it). */
export function createElectriciansRepository(db: Db, accounts: UserProfiles) {
  /** The electricians with their accounts: one query for the accounts of the whole list. */
  async function withUsers(list: Electrician[], trx: Conn = db): Promise<ElectricianWithUser[]> {
    const profiles = await accounts.profiles(
      list.map((e) => e.userId),
      trx,
    );
    return list.map((e) => withUser(e, profiles.get(e.userId)));
  }

  return {
    async findById(id: number, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ id }).first();
      return r ? mapElectrician(r) : undefined;
    },

    async findByUserId(userId: number, trx: Conn = db): Promise<Electrician | undefined> {
      const r = await trx('electricians').where({ user_id: userId }).first();
      return r ? mapElectrician(r) : undefined;
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

    /**
     * Takes one of the electrician's active-order slots if one is free. The conditional increment is
     * the cap: two grabs racing for the last slot cannot both succeed.
     */
    async takeSlot(id: number, maxActive: number, now: Date, trx: Conn): Promise<boolean> {
      const n = await trx('electricians')
        .where({ id })
        .andWhere('active_orders', '<', maxActive)
        .update({ active_orders: trx.raw('active_orders + 1'), total_orders: trx.raw('total_orders + 1'), updated_at: now });
      return n === 1;
    },

    /** Gives a slot back; `outcome` also counts a completion or a release against the electrician. */
    async freeSlot(id: number, outcome: 'completed' | 'released' | 'cancelled', now: Date, trx: Conn): Promise<void> {
      await trx('electricians')
        .where({ id })
        .andWhere('active_orders', '>', 0)
        .update({
          active_orders: trx.raw('active_orders - 1'),
          ...(outcome === 'completed' ? { completed_orders: trx.raw('completed_orders + 1') } : {}),
          ...(outcome === 'released' ? { released_orders: trx.raw('released_orders + 1') } : {}),
          updated_at: now,
        });
    },

    /**
     * A completed order sent back for rework (a resolved complaint) holds a slot again — over the
     * cap if need be, the repair is owed — and stops counting as completed until it is completed again.
     */
    async reopenSlot(id: number, now: Date, trx: Conn): Promise<void> {
      await trx('electricians')
        .where({ id })
        .update({
          active_orders: trx.raw('active_orders + 1'),
          completed_orders: trx.raw('case when completed_orders > 0 then completed_orders - 1 else 0 end'),
          updated_at: now,
        });
    },

    /**
     * Candidates for auto-dispatch: approved, available, emergency-available, located, under the cap,
     * inside a lat/lng box (exact distance is computed by the caller), not in `exclude`.
     */
    async dispatchCandidates(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      maxActive: number,
      exclude: number[],
      trx: Conn = db,
    ): Promise<Electrician[]> {
      const rows = await trx('electricians')
        .where({ verification_status: 'approved', work_status: 'available', emergency_available: true })
        .andWhere('active_orders', '<', maxActive)
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng])
        .modify((q) => {
          if (exclude.length > 0) q.whereNotIn('id', exclude);
        });
      return rows.map(mapElectrician);
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

    /**
     * The cards of a page of orders' electricians (name, rating, completed orders, phone, avatar),
     * by id: one query for the electricians and one for their accounts, whatever the page's size.
     */
    async cards(ids: readonly number[]): Promise<Map<number, ElectricianCardSource>> {
      if (ids.length === 0) return new Map();
      const rows = (await db('electricians')
        .whereIn('id', [...new Set(ids)])
        .select('id', 'user_id', 'real_name', 'rating', 'completed_orders')) as Row[];
      const profiles = await accounts.profiles(rows.map((r) => Number(r.user_id)));
      return new Map(
        rows.map((r) => {
          const account = profiles.get(Number(r.user_id));
          return [
            Number(r.id),
            {
              id: Number(r.id),
              realName: String(r.real_name),
              rating: Number(r.rating),
              completedOrders: Number(r.completed_orders),
              phone: account?.phone ?? null,
              avatar: account?.avatar ?? null,
              avatarUploadId: account?.avatarUploadId ?? null,
            },
          ];
        }),
      );
    },

    /** Whom staff may assign an order to: approved, not offline, located inside the box (exact distance is the caller's). */
    async assignable(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      trx: Conn = db,
    ): Promise<Electrician[]> {
      const rows = await trx('electricians')
        .where({ verification_status: 'approved' })
        .whereNot('work_status', 'offline')
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng]);
      return rows.map(mapElectrician);
    },

    /**
     * Who gets a live new-order push: approved, available, located inside the box (exact distance
     * is the caller's), willing to take an order of this amount, not the customer themself. Only the
     * columns a push needs: this runs for every new order over hundreds of rows, and mapping whole
     * profiles was most of its cost (see BENCHMARKS.md).
     */
    async pushCandidates(
      box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
      estimatedAmount: number,
      excludeUserId: number,
      trx: Conn = db,
    ): Promise<{ id: number; userId: number; latitude: number; longitude: number }[]> {
      const rows: Row[] = await trx('electricians')
        .where({ verification_status: 'approved', work_status: 'available' })
        .andWhere('min_order_amount', '<=', estimatedAmount)
        .whereNot('user_id', excludeUserId)
        .whereBetween('current_latitude', [box.minLat, box.maxLat])
        .whereBetween('current_longitude', [box.minLng, box.maxLng])
        .select('id', 'user_id', 'current_latitude', 'current_longitude');
      return rows.map((r) => ({
        id: Number(r.id),
        userId: Number(r.user_id),
        latitude: Number(r.current_latitude),
        longitude: Number(r.current_longitude),
      }));
    },

    /**
     * Stores a reported location unless one was stored less than `minIntervalMs` ago. One
     * conditional update, so several API instances together still write at most that often.
     */
    async storeLocation(
      id: number,
      at: { latitude: number; longitude: number },
      now: Date,
      minIntervalMs: number,
    ): Promise<boolean> {
      const n = await db('electricians')
        .where({ id })
        .andWhere((q) =>
          q.whereNull('location_updated_at').orWhere('location_updated_at', '<=', new Date(now.getTime() - minIntervalMs)),
        )
        .update({ current_latitude: at.latitude, current_longitude: at.longitude, location_updated_at: now, updated_at: now });
      return n === 1;
    },

    /**
     * Whether the profile is approved now, its row locked until the transaction ends: a locking read
     * by primary key, so it sees what account deletion committed (not the transaction's older
     * snapshot) and takes the row's lock the way a slot update does.
     */
    async isApprovedNow(id: number, trx: Knex.Transaction): Promise<boolean> {
      const r = await trx('electricians').where({ id }).forUpdate().first('verification_status');
      return r?.verification_status === 'approved';
    },

    /**
     * Locks the electrician's row for a rating change: every change to the set of their visible
     * reviews takes this lock first (in the review's transaction), so those changes queue and each
     * recomputation sees the ones committed before it.
     */
    async lockForRating(id: number, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).update({ updated_at: now });
    },

    /** Stores the rating the reviews module computed, in the review's transaction (after lockForRating). */
    async setRating(id: number, r: { rating: number; count: number }, now: Date, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).update({ rating: r.rating, rating_count: r.count, updated_at: now });
    },

    /** Adds the electrician's share of a payment to their running earnings (fen). */
    async creditEarnings(id: number, fen: number, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).increment('total_earnings', fen);
    },

    /** Takes back the electrician's part of a refund from their running earnings (fen). */
    async debitEarnings(id: number, fen: number, trx: Knex.Transaction): Promise<void> {
      await trx('electricians').where({ id }).decrement('total_earnings', fen);
    },

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

export interface VerificationDecision {
  approved: boolean;
  note: string | null;
  actorId: number;
}

/** An electrician with the account behind it, as staff see it. */
export interface ElectricianWithUser extends Electrician {
  user: { id: number; nickname: string | null; name: string | null; phone: string | null } & AvatarSource;
}

function withUser(e: Electrician, account: UserProfile | undefined): ElectricianWithUser {
  return {
    ...e,
    user: {
      id: e.userId,
      nickname: account?.nickname ?? null,
      name: account?.name ?? null,
      phone: account?.phone ?? null,
      ...(account ? { avatar: account.avatar, avatarUploadId: account.avatarUploadId } : NO_AVATAR),
    },
  };
}

/** What an order's electrician card is made of (the orders module masks the name and signs the avatar). */
export interface ElectricianCardSource extends AvatarSource {
  id: number;
  realName: string;
  rating: number;
  completedOrders: number;
  phone: string | null;
}
