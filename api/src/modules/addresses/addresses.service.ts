import type { Knex } from 'knex';
import type { Db } from '../../db';
import type { Clock } from '../../shared/clock';
import { conflict, notFound, unauthorized } from '../../shared/errors';
import type { Place } from '../orders';
import type { Address, AddressesRepository } from './addresses.repository';
import { MAX_ADDRESSES, type CreateAddressBody, type UpdateAddressBody } from './addresses.schemas';

export interface AddressesDeps {
  db: Db;
  addresses: AddressesRepository;
  /**
   * Locks the owner's users row for the transaction; false when the account is gone (deleted).
   * A user's address writes take turns on it, so the default is decided one write at a time.
   */
  lockOwner(userId: number, trx: Knex.Transaction): Promise<boolean>;
  clock: Clock;
}

const missing = () => notFound('地址不存在');

export function createAddressesService(d: AddressesDeps) {
  const { db, addresses, clock } = d;

  /** Runs `work` holding the owner's lock. */
  function asOwner<T>(userId: number, work: (trx: Knex.Transaction, now: Date) => Promise<T>): Promise<T> {
    return db.transaction(async (trx) => {
      if (!(await d.lockOwner(userId, trx))) throw unauthorized('登录已失效，请重新登录');
      return work(trx, clock.now());
    });
  }

  /** Makes `id` the user's only default: the old one is cleared first, in the same transaction. */
  async function makeDefault(userId: number, id: number, trx: Knex.Transaction) {
    await addresses.clearDefault(userId, trx);
    await addresses.makeDefault(userId, id, trx);
  }

  /** The default moves to the most recently saved other entry, if there is one. */
  async function passDefaultOn(userId: number, fromId: number, trx: Knex.Transaction) {
    const next = await addresses.latestOther(userId, fromId, trx);
    if (next !== undefined) await makeDefault(userId, next, trx);
  }

  return {
    list: (userId: number): Promise<Address[]> => addresses.listOf(userId),

    /** The first entry is the default; a later one becomes it when asked. */
    async create(userId: number, body: CreateAddressBody): Promise<Address> {
      const { isDefault, tag, ...place } = body;
      return asOwner(userId, async (trx, now) => {
        const count = await addresses.countOf(userId, trx);
        if (count >= MAX_ADDRESSES) {
          throw conflict('ADDRESS_LIMIT', `最多保存 ${MAX_ADDRESSES} 个地址，请先删除不用的地址`);
        }
        const asDefault = count === 0 || isDefault === true;
        if (asDefault) await addresses.clearDefault(userId, trx);
        const id = await addresses.insert(userId, { ...place, tag: tag ?? null }, asDefault, now, trx);
        return (await addresses.findOwned(userId, id, trx))!;
      });
    },

    /**
     * `isDefault: true` makes the entry the default; `false` on the default hands it to the most
     * recently saved other entry (an only entry stays the default: a user with addresses has one).
     */
    async update(userId: number, id: number, body: UpdateAddressBody): Promise<Address> {
      const { isDefault, ...patch } = body;
      return asOwner(userId, async (trx, now) => {
        const current = await addresses.findOwned(userId, id, trx);
        if (!current) throw missing();
        await addresses.update(id, patch, now, trx);
        if (isDefault === true && !current.isDefault) await makeDefault(userId, id, trx);
        if (isDefault === false && current.isDefault) await passDefaultOn(userId, id, trx);
        return (await addresses.findOwned(userId, id, trx))!;
      });
    },

    /** Deleting the default hands it on to the most recently saved remaining entry. */
    async remove(userId: number, id: number): Promise<void> {
      await asOwner(userId, async (trx) => {
        const current = await addresses.findOwned(userId, id, trx);
        if (!current) throw missing();
        await addresses.delete(id, trx);
        if (current.isDefault) await passDefaultOn(userId, id, trx);
      });
    },

    /** What an order placed with `addressId` copies: the caller's own entry, else undefined. */
    async placeOf(userId: number, addressId: number, trx: Knex.Transaction): Promise<Place | undefined> {
      const a = await addresses.findOwned(userId, addressId, trx);
      if (!a) return undefined;
      return {
        contactName: a.contactName,
        contactPhone: a.contactPhone,
        region: a.region,
        address: a.address,
        latitude: a.latitude,
        longitude: a.longitude,
      };
    },

    /** Erases every entry of the user's, inside the account deletion's transaction. */
    eraseAll: (userId: number, trx: Knex.Transaction): Promise<number> => addresses.deleteAllOf(userId, trx),
  };
}

export type AddressesService = ReturnType<typeof createAddressesService>;
