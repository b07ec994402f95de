/** The orders module's transition runner and the context its use cases share. */
import type { Knex } from 'knex';
import type { Config, FaultType } from '../../../config';
import { isDeadlock, type Db } from '../../../db';
import type { Principal } from '../../../shared/auth';
import { hasPermission, type Permission } from '../../../shared/permissions';
import { MINUTE, type Clock } from '../../../shared/clock';
import type { Actor, DomainBus } from '../../../shared/domain-events';
import type { EventElectrician, OrderChanged } from '../orders.events';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../../shared/errors';
import type { Idempotency } from '../../../shared/idempotency';
import type { Logger } from '../../../shared/logger';
import type { OrderConversation, StatusLines } from '../../chat';
import type { DispatchOffersPort } from '../../dispatch';
import type { Electrician, OrderElectriciansPort } from '../../electricians';
import type { QuotePricer } from '../../inventory';
import { ACTIVE_STATUSES, EVENT_OF, STATUS_TEXT, transitionOf, type OrderAction } from '../order-states';
import type { HallIndex } from '../hall-index';
import type { Order, OrderPatch, OrdersRepository } from '../orders.repository';
import type { CreateOrderBody, Place } from '../orders.schemas';

/** What the orders module needs from Files (the files module's service satisfies it). */
export interface OrderFiles {
  attach(
    ownerId: number,
    ids: number[],
    purpose: 'order' | 'repair',
    resource: { type: string; id: number },
    trx?: Knex.Transaction,
    field?: string,
  ): Promise<void>;
}

export interface OrdersDeps {
  db: Db;
  orders: OrdersRepository;
  /** The pending orders in memory, for the hall (hall-index.ts). */
  hall: HallIndex;
  electricians: OrderElectriciansPort;
  files: OrderFiles;
  /** The order's dispatch offers (dispatch owns them), written inside the transition's transaction. */
  dispatch: DispatchOffersPort;
  bus: DomainBus;
  clock: Clock;
  idempotency: Idempotency;
  business: Config['business'];
  logger: Logger;
  /** Opens the order's conversation inside the accepting transaction (chat owns the tables). */
  openConversation(
    o: { orderId: number; customerId: number; electricianUserId: number },
    now: Date,
    trx: Knex.Transaction,
  ): Promise<OrderConversation>;
  /** Writes the order's status line inside the transition's transaction (chat's port). */
  statusLineIn: StatusLines['statusLineIn'];
  /**
   * Locks the customer's users row for the order's transaction; false once the account is deleted.
   * Account deletion takes the same lock, so an order is never placed on a deleted account.
   */
  lockCustomer(userId: number, trx: Knex.Transaction): Promise<boolean>;
  /** The contact and place of one of the customer's address-book entries (addresses owns them). */
  placeOf(userId: number, addressId: number, trx: Knex.Transaction): Promise<Place | undefined>;
  /** Quote lines priced against the price list (inventory owns it): names, units, standard prices, flags, the ceiling. */
  priceQuote: QuotePricer;
}

/**
 * The request: where and whom are given in full, or as `addressId`, one of the customer's
 * address-book entries (the request schema admits exactly one of the two).
 */
export type CreateOrderInput = CreateOrderBody;

export const eligible = (e: Electrician | undefined): e is Electrician =>
  !!e && e.verificationStatus === 'approved' && e.workStatus !== 'offline';
export const notEligible = (message = '仅已认证且在线的电工可以接单') => new AppError('NOT_ELIGIBLE', 403, message);
export const orderTaken = () => conflict('ORDER_TAKEN', '手慢了，该工单已被其他电工接走');
export const versionConflict = () => conflict('VERSION_CONFLICT', '工单状态已变化，请刷新后重试');

/** The conditional claim matched no row: another transition changed the order first. */
export class LostRace extends Error {}

export interface Step {
  action: OrderAction;
  /** Reads what `actor` needs to know of the caller, once the order is read (in the transaction). */
  before?: (o: Order, trx: Knex.Transaction) => Promise<void>;
  /** Resolves who is acting on this order; throws 404 when the caller may not even see it. */
  actor: (o: Order) => Actor;
  /**
   * Who may attempt the action at all, checked before the order's state: a caller who may never
   * take an order learns nothing about its state (403, not "someone was faster").
   */
  eligible?: (trx: Knex.Transaction) => Promise<void>;
  /**
   * The electrician the step has already read for this caller (eligibility, check), so that the
   * runner does not read them again (who holds the order, whose conversation opens).
   */
  electrician?: () => Electrician | undefined;
  /** Checks needing the transaction, before the claim (offers). */
  check?: (o: Order, trx: Knex.Transaction, now: Date) => Promise<void>;
  /** What to change besides the status, version and update time. */
  set?: (o: Order, now: Date) => OrderPatch;
  /** Writes after the claim, in the same transaction (slots, quotes, attachments, offers). */
  effects?: (o: Order, trx: Knex.Transaction, now: Date) => Promise<void>;
  /**
   * Everything `effects` writes on the order's row besides `set`, when the step knows it: the
   * runner then builds the order as committed instead of reading it back.
   */
  written?: () => OrderPatch;
  details?: (o: Order) => Record<string, unknown>;
}

/**
 * The context every orders use case shares: the dependencies, the transition runner (one
 * transition = read, check, conditional claim, effects, event row and staged domain event, in one
 * transaction) and the helpers built on it (who the caller is to an order, acceptance, back to
 * the hall, slots, offers, visibility).
 */
/** Attempts of a transition that InnoDB keeps choosing as a deadlock's victim. */
const DEADLOCK_ATTEMPTS = 3;
/** Electrician profiles remembered per instance (two small maps; cleared when full). */
const KNOWN_PROFILES = 100_000;

export function createOrdersRunner(d: OrdersDeps) {
  const { db, orders, electricians, bus, clock, business } = d;

  function pricing(faultType: FaultType, urgent: boolean) {
    const surcharge = urgent ? business.prices.urgentSurcharge : 0;
    return {
      visitFee: business.prices.visitFee[faultType] + surcharge,
      estimatedAmount: business.prices.estimate[faultType] + surcharge,
    };
  }

  function stateError(action: OrderAction, o: Pick<Order, 'status' | 'electricianId'>, electricianId?: number): AppError {
    if ((action === 'grab' || action === 'dispatch_accept' || action === 'assign') && o.status !== 'pending') {
      if (electricianId !== undefined && o.electricianId === electricianId) {
        return conflict('INVALID_TRANSITION', '你已接下该工单');
      }
      if (o.electricianId !== null || o.status === 'completed') return orderTaken();
    }
    return conflict('INVALID_TRANSITION', `工单当前状态为「${STATUS_TEXT[o.status]}」，不能执行此操作`);
  }

  /**
   * Performs one transition inside `trx`: read, check, conditional claim on (status, version), side
   * effects, the event row and the staged domain event (published when `trx` commits).
   */
  async function transitionIn(
    trx: Knex.Transaction,
    orderId: number,
    step: Step,
    now: Date,
    /** The order as the caller read it just before (the claim is conditional on its version). */
    read?: Order,
  ): Promise<OrderChanged> {
    const current = read ?? (await orders.findById(orderId, trx));
    if (!current) throw notFound('工单不存在');
    await step.before?.(current, trx);
    const actor = step.actor(current);
    // The order's own customer is simply refused below; anyone else must be eligible first.
    if (actor.role !== 'customer') await step.eligible?.(trx);
    const verdict = transitionOf(step.action, actor.role, current.status);
    if (!verdict.ok) {
      if (verdict.reason === 'role') throw forbidden('你不能对该工单执行此操作');
      const own = step.electrician?.();
      throw stateError(
        step.action,
        current,
        actor.role !== 'electrician' ? undefined : own ? own.id : await electricianIdOf(actor.id, trx),
      );
    }
    await step.check?.(current, trx, now);
    const set = { ...step.set?.(current, now), status: verdict.to, updatedAt: now };
    if (!(await orders.claim(current.id, current, set, trx))) throw new LostRace();
    await step.effects?.(current, trx, now);
    const details = step.details?.(current) ?? {};
    const eventId = await orders.insertEvent(
      {
        orderId: current.id,
        action: step.action,
        from: current.status,
        to: verdict.to,
        actorId: actor.id,
        actorRole: actor.role,
        details,
      },
      now,
      trx,
    );
    const order = step.written ? committed(current, { ...set, ...step.written() }) : (await orders.findById(current.id, trx))!;
    const name = EVENT_OF[step.action];
    // Who holds the order now and who held it before, as this transaction knows them (the step's
    // own electrician, else one read each): the event carries them to its subscribers.
    const own = step.electrician?.();
    const holder = async (id: number | null): Promise<EventElectrician | null> => {
      if (id === null) return null;
      const e = own?.id === id ? own : await electricians.findById(id, trx);
      return e ? { id: e.id, userId: e.userId, realName: e.realName } : null;
    };
    const holderNow = await holder(order.electricianId);
    const holderBefore = current.electricianId === order.electricianId ? holderNow : await holder(current.electricianId);
    const opened =
      name === 'order.accepted' && holderNow
        ? await d.openConversation({ orderId: order.id, customerId: order.userId, electricianUserId: holderNow.userId }, now, trx)
        : undefined;
    // The conversation's line commits with the transition (no transaction of its own after it).
    await d.statusLineIn({ orderId: current.id, to: verdict.to, eventId }, now, trx, opened);
    const event: OrderChanged = {
      name,
      action: step.action,
      orderId: current.id,
      from: current.status,
      to: verdict.to,
      order,
      actor,
      previousElectricianId: current.electricianId,
      holders: { current: holderNow, previous: holderBefore },
      details,
      eventId,
      at: now,
      statusLine: true,
    };
    await bus.stage(trx, event);
    return event;
  }

  /** The order as a claim conditional on `current`'s version leaves it, with `patch` applied. */
  function committed(current: Order, patch: OrderPatch): Order {
    const order: Order = { ...current, version: current.version + 1 };
    for (const [k, v] of Object.entries(patch) as [keyof OrderPatch, unknown][])
      if (v !== undefined) Object.assign(order, { [k]: v });
    return order;
  }

  /**
   * One transition in its own transaction; its domain event is published after the commit. With
   * `read` (the order read just before, outside the transaction) the first attempt starts from it.
   */
  async function published(orderId: number, step: Step, read?: Order): Promise<OrderChanged> {
    let first = read;
    try {
      return await deadlockRetried(orderId, () =>
        db.transaction((trx) => {
          const from = first;
          first = undefined;
          return transitionIn(trx, orderId, step, clock.now(), from);
        }),
      );
    } catch (err) {
      if (!(err instanceof LostRace)) throw err;
      // A claim lost to a concurrent grab is "someone was first", whatever the loser read.
      if (step.action === 'grab' || step.action === 'dispatch_accept' || step.action === 'assign') throw orderTaken();
      throw versionConflict();
    }
  }

  /**
   * A transition's transaction, run again (from its first read) when InnoDB rolled it back as a
   * deadlock's victim: under a grab race another transaction's foreign-key checks can interleave
   * with its row locks. A transition only writes inside its transaction, so nothing is done twice.
   */
  async function deadlockRetried<T>(orderId: number, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await run();
      } catch (err) {
        if (!isDeadlock(err) || attempt >= DEADLOCK_ATTEMPTS) throw err;
        d.logger.warn({ orderId, attempt }, 'order transition retried after a deadlock');
      }
    }
  }

  async function transition(orderId: number, step: Step): Promise<Order> {
    return (await published(orderId, step)).order;
  }

  async function electricianIdOf(userId: number | null, trx?: Knex.Transaction): Promise<number | undefined> {
    if (userId === null) return undefined;
    return (await electricians.findByUserId(userId, trx))?.id;
  }

  /**
   * Which electrician profile is which user's, as this instance has read them (a profile's user
   * never changes): lets a grab refused by the order's state say whether the caller is its holder
   * without reading the caller's profile.
   */
  const profiles = (() => {
    const userOf = new Map<number, number>();
    const idOf = new Map<number, number>();
    return {
      learn(e: Pick<Electrician, 'id' | 'userId'> | undefined) {
        if (!e || userOf.get(e.id) === e.userId) return;
        if (userOf.size >= KNOWN_PROFILES) {
          userOf.clear();
          idOf.clear();
        }
        userOf.set(e.id, e.userId);
        idOf.set(e.userId, e.id);
      },
      /** Whether electrician `electricianId` is user `userId`'s profile; undefined when neither is known here. */
      isUsers(electricianId: number, userId: number): boolean | undefined {
        const user = userOf.get(electricianId);
        if (user !== undefined) return user === userId;
        return idOf.has(userId) ? false : undefined;
      },
    };
  })();

  /**
   * Who the caller is to this order. Staff act on it as `admin` only through the permission the
   * action names (`orders.cancel` for a cancel): being staff alone grants nothing. Strangers get
   * 404 so order ids reveal nothing.
   */
  function partyOf(p: Principal, o: Order, electricianId: number | undefined, staffPermission?: Permission): Actor {
    if (o.userId === p.id) return { id: p.id, role: 'customer' };
    if (electricianId !== undefined && o.electricianId === electricianId) return { id: p.id, role: 'electrician' };
    if (staffPermission && hasPermission(p, staffPermission)) return { id: p.id, role: 'admin' };
    if (electricianId !== undefined && o.status === 'pending') throw forbidden('你不能对该工单执行此操作');
    throw notFound('工单不存在');
  }

  /** The order's contact and place: as given, or copied from the caller's own address-book entry. */
  async function placeOf(userId: number, input: CreateOrderInput, trx: Knex.Transaction): Promise<Place> {
    if (input.addressId === undefined) {
      const { contactName, contactPhone, region, address, latitude, longitude } = input;
      // The schema refuses a request without every one of them; this only narrows the types.
      if (contactName === undefined || contactPhone === undefined || region === undefined || address === undefined) {
        throw badRequest('VALIDATION_FAILED', '请填写联系人和地址，或选择地址簿中的地址');
      }
      if (latitude === undefined || longitude === undefined) throw badRequest('VALIDATION_FAILED', '请在地图上选择位置');
      return { contactName, contactPhone, region, address, latitude, longitude };
    }
    const place = await d.placeOf(userId, input.addressId, trx);
    if (!place) {
      throw badRequest('INVALID_ADDRESS', '地址不存在或不属于你，请重新选择', [
        { path: ['body', 'addressId'], message: 'not one of your addresses' },
      ]);
    }
    return place;
  }

  async function me(p: Principal): Promise<Electrician | undefined> {
    return electricians.findByUserId(p.id);
  }

  /** What puts an order (back) into the hall. */
  function backToHall(o: Order, now: Date): OrderPatch {
    return {
      electricianId: null,
      acceptedAt: null,
      arrivedAt: null,
      arriveLatitude: null,
      arriveLongitude: null,
      arriveDueAt: null,
      slaAlertedAt: null,
      expiresAt: new Date(now.getTime() + business.orderPendingTtlMinutes * MINUTE),
      dispatchStatus: o.priority === 'urgent' ? 'pending' : null,
    };
  }

  /** Changes and effects shared by grab, dispatch acceptance and admin assignment. */
  function acceptance(e: () => Electrician) {
    return {
      set: (o: Order, now: Date): OrderPatch => ({
        acceptedAt: now,
        expiresAt: null,
        slaAlertedAt: null,
        arriveDueAt:
          o.scheduledAt && o.scheduledAt > now ? o.scheduledAt : new Date(now.getTime() + business.arriveSlaMinutes * MINUTE),
        dispatchStatus: o.dispatchStatus ? 'accepted' : null,
      }),
      /**
       * Takes a slot, then records the electrician on the claimed order. In this order because on
       * InnoDB writing electrician_id has the foreign-key check take a shared lock on the
       * electrician row: two grabs by one electrician would each hold it and deadlock upgrading it
       * in takeSlot. With the exclusive lock taken first, the check reuses it.
       */
      takeSlot: async (o: Order, trx: Knex.Transaction, now: Date) => {
        // Approval is checked again under the row's lock: account deletion may have erased the
        // profile since the eligibility check, which read the transaction's snapshot.
        const slot = await electricians.takeSlot(e().id, business.maxActiveOrders, now, trx);
        if (slot === 'not_approved') throw notEligible();
        if (slot === 'full') {
          throw conflict('ACTIVE_LIMIT_REACHED', `同时进行中的工单最多 ${business.maxActiveOrders} 个，请先完成手头的工单`);
        }
        await orders.updateWhere(o.id, {}, { electricianId: e().id }, trx);
      },
      /** What takeSlot writes on the order besides `set`. */
      written: (): OrderPatch => ({ electricianId: e().id }),
      electrician: () => e(),
    };
  }

  /** Open dispatch offers end when the order is taken, cancelled or expires. */
  const closeOffers = (orderId: number, status: 'lost' | 'cancelled', now: Date, trx: Knex.Transaction, exceptOfferId?: number) =>
    d.dispatch.closeOffers(orderId, status, now, trx, exceptOfferId);

  async function freeSlotOf(o: Order, outcome: 'completed' | 'released' | 'cancelled', trx: Knex.Transaction, now: Date) {
    if (o.electricianId !== null && ACTIVE_STATUSES.includes(o.status))
      await electricians.freeSlot(o.electricianId, outcome, now, trx);
  }

  /** Whether the caller sees this order in full, masked (hall view of a pending order), or not at all. */
  async function visibility(p: Principal, id: number): Promise<{ order: Order; view: 'full' | 'masked'; viewer?: Electrician }> {
    const order = await orders.findById(id);
    if (!order) throw notFound('工单不存在');
    if (order.userId === p.id || hasPermission(p, 'orders.read')) return { order, view: 'full' };
    const e = await me(p);
    if (e && order.electricianId === e.id) return { order, view: 'full', viewer: e };
    if (e?.verificationStatus === 'approved' && order.status === 'pending') return { order, view: 'masked', viewer: e };
    throw notFound('工单不存在');
  }

  return {
    d,
    db,
    orders,
    hall: d.hall,
    electricians,
    bus,
    clock,
    business,
    pricing,
    stateError,
    profiles,
    transitionIn,
    published,
    transition,
    electricianIdOf,
    partyOf,
    placeOf,
    me,
    backToHall,
    acceptance,
    closeOffers,
    freeSlotOf,
    visibility,
  };
}

export type OrdersRunner = ReturnType<typeof createOrdersRunner>;
