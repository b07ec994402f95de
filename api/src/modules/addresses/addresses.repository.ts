import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { toDate } from '../../shared/rows';
import type { Place } from '../orders';

export interface Address extends Place {
  id: number;
  userId: number;
  tag: string | null;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type AddressFields = Place & { tag: string | null };
export type AddressPatch = Partial<AddressFields>;

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const COLUMNS: Record<keyof AddressFields, string> = {
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
  region: 'region',
  address: 'address',
  latitude: 'latitude',
  longitude: 'longitude',
  tag: 'tag',
};

function mapAddress(r: Row): Address {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    contactName: String(r.contact_name),
    contactPhone: String(r.contact_phone),
    region: String(r.region),
    address: String(r.address),
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    tag: (r.tag as string | null) ?? null,
    isDefault: r.default_user_id !== null && r.default_user_id !== undefined,
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

function toColumns(patch: AddressPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) row[COLUMNS[key as keyof AddressFields]] = value;
  }
  return row;
}

export function createAddressesRepository(db: Db) {
  return {
    /** The user's entries, the default first, then the most recently saved. */
    async listOf(userId: number, trx: Conn = db): Promise<Address[]> {
      const rows = await trx('addresses')
        .where({ user_id: userId })
        .orderByRaw('case when default_user_id is null then 1 else 0 end')
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc');
      return rows.map(mapAddress);
    },

    /** The entry if it is the user's: someone else's id reads as missing. */
    async findOwned(userId: number, id: number, trx: Conn = db): Promise<Address | undefined> {
      const row = await trx('addresses').where({ id, user_id: userId }).first();
      return row ? mapAddress(row) : undefined;
    },

    async countOf(userId: number, trx: Conn = db): Promise<number> {
      const row = await trx('addresses').where({ user_id: userId }).count({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async insert(userId: number, fields: AddressFields, isDefault: boolean, now: Date, trx: Conn = db): Promise<number> {
      return insertId(trx, 'addresses', {
        user_id: userId,
        ...toColumns(fields),
        default_user_id: isDefault ? userId : null,
        created_at: now,
        updated_at: now,
      });
    },

    async update(id: number, patch: AddressPatch, now: Date, trx: Conn = db): Promise<void> {
      await trx('addresses')
        .where({ id })
        .update({ ...toColumns(patch), updated_at: now });
    },

    /** No entry of the user's is the default any more (the unique key then admits a new one). */
    async clearDefault(userId: number, trx: Conn = db): Promise<void> {
      await trx('addresses').where({ default_user_id: userId }).update({ default_user_id: null });
    },

    async makeDefault(userId: number, id: number, trx: Conn = db): Promise<void> {
      await trx('addresses').where({ id, user_id: userId }).update({ default_user_id: userId });
    },

    /** The user's most recently saved entry other than `exceptId`: the next default. */
    async latestOther(userId: number, exceptId: number, trx: Conn = db): Promise<number | undefined> {
      const row = await trx('addresses')
        .where({ user_id: userId })
        .whereNot({ id: exceptId })
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .first('id');
      return row ? Number(row.id) : undefined;
    },

    async delete(id: number, trx: Conn = db): Promise<void> {
      await trx('addresses').where({ id }).delete();
    },

    /** Every entry of the user's (account deletion). */
    async deleteAllOf(userId: number, trx: Conn = db): Promise<number> {
      return trx('addresses').where({ user_id: userId }).delete();
    },
  };
}

export type AddressesRepository = ReturnType<typeof createAddressesRepository>;
