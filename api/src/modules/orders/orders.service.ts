import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config, FaultType } from '../../config';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import { hasPermission, type Permission } from '../../shared/permissions';
import { DAY, MINUTE, type Clock } from '../../shared/clock';
import type { Actor, DomainBus, OrderChanged } from '../../shared/domain-events';
import { AppError, badRequest, conflict, forbidden, notFound, unauthorized } from '../../shared/errors';
import { boundingBox, distanceKm, roundKm, withinKm, type Point } from '../../shared/geo';
import type { Idempotency } from '../../shared/idempotency';
import type { Logger } from '../../shared/logger';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import type { DispatchOffersPort } from '../dispatch';
import type { Electrician, OrderElectriciansPort } from '../electricians';
import {
  ACTIVE_STATUSES,
  EVENT_OF,
  STATUS_TEXT,
  VISIT_FEE_DUE_FROM,
  transitionOf,
  type OrderAction,
  type OrderStatus,
} from './order-states';
import type { Order, OrdersRepository, Priority, QuoteItem } from './orders.repository';
import type { CreateOrderBody, Place } from './orders.schemas';

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
  ): Promise<void>;
  /**
   * Locks the customer's users row for the order's transaction; false once the account is deleted.
   * Account deletion takes the same lock, so an order is never placed on a deleted account.
   */
  lockCustomer(userId: number, trx: Knex.Transaction): Promise<boolean>;
  /** The contact and place of one of the customer's address-book entries (addresses owns them). */
  placeOf(userId: number, addressId: number, trx: Knex.Transaction): Promise<Place | undefined>;
}

/**
 * The request: where and whom are given in full, or as `addressId`, one of the customer's
 * address-book entries (the request schema admits exactly one of the two).
 */
export type CreateOrderInput = CreateOrderBody;

export const FAULT_TEXT: Record<FaultType, string> = {
  circuit: '电路故障',
  appliance: '电器维修',
  lighting: '灯具照明',
  installation: '安装布线',
  maintenance: '检修保养',
  emergency: '紧急抢修',
  other: '其他',
};

const eligible = (e: Electrician | undefined): e is Electrician =>
  !!e && e.verificationStatus === 'approved' && e.workStatus !== 'offline';
const notEligible = (message = '仅已认证且在线的电工可以接单') => new AppError('NOT_ELIGIBLE', 403, message);
const orderTaken = () => conflict('ORDER_TAKEN', '手慢了，该工单已被其他电工接走');
const versionConflict = () => conflict('VERSION_CONFLICT', '工单状态已变化，请刷新后重试');

/** The conditional claim matched no row: another transition changed the order first. */
class LostRace extends Error {}

/** China Standard Time date for human-readable order numbers. */
function cstDate(d: Date): string {
  return new Date(d.getTime() + 8 * 60 * MINUTE).toISOString().slice(0, 10).replace(/-/g, '');
}

interface Step {
  action: OrderAction;
  /** Resolves who is acting on this order; throws 404 when the caller may not even see it. */
  actor: (o: Order) => Actor;
  /**
   * Who may attempt the action at all, checked before the order's state: a caller who may never
   * take an order learns nothing about its state (403, not "someone was faster").
   */
  eligible?: (trx: Knex.Transaction) => Promise<void>;
  /** Checks needing the transaction, before the claim (offers). */
  check?: (o: Order, trx: Knex.Transaction, now: Date) => Promise<void>;
  /** Columns to change besides status, version and updated_at. */
  set?: (o: Order, now: Date) => Record<string, unknown>;
  /** Writes after the claim, in the same transaction (slots, quotes, attachments, offers). */
  effects?: (o: Order, trx: Knex.Transaction, now: Date) => Promise<void>;
  details?: (o: Order) => Record<string, unknown>;
}

export function createOrdersService(d: OrdersDeps) {
  const { db, orders, electricians, bus, clock, business } = d;

  function pricing(faultType: FaultType, urgent: boolean) {
    const surcharge = urgent ? business.prices.urgentSurcharge : 0;
    return {
      visitFee: business.prices.visitFee[faultType] + surcharge,
      estimatedAmount: business.prices.estimate[faultType] + surcharge,
    };
  }

  function stateError(action: OrderAction, o: Order, electricianId?: number): AppError {
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
  async function transitionIn(trx: Knex.Transaction, orderId: number, step: Step, now: Date): Promise<OrderChanged> {
    const current = await orders.findById(orderId, trx);
    if (!current) throw notFound('工单不存在');
    const actor = step.actor(current);
    // The order's own customer is simply refused below; anyone else must be eligible first.
    if (actor.role !== 'customer') await step.eligible?.(trx);
    const verdict = transitionOf(step.action, actor.role, current.status);
    if (!verdict.ok) {
      if (verdict.reason === 'role') throw forbidden('你不能对该工单执行此操作');
      throw stateError(step.action, current, actor.role === 'electrician' ? await electricianIdOf(actor.id, trx) : undefined);
    }
    await step.check?.(current, trx, now);
    const set = { ...step.set?.(current, now), status: verdict.to, updated_at: now };
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
    const order = (await orders.findById(current.id, trx))!;
    const name = EVENT_OF[step.action];
    if (name === 'order.accepted' && order.electricianId !== null) {
      const electrician = (await electricians.findById(order.electricianId, trx))!;
      await d.openConversation({ orderId: order.id, customerId: order.userId, electricianUserId: electrician.userId }, now, trx);
    }
    const event: OrderChanged = {
      name,
      action: step.action,
      orderId: current.id,
      from: current.status,
      to: verdict.to,
      order,
      actor,
      previousElectricianId: current.electricianId,
      details,
      eventId,
      at: now,
    };
    await bus.stage(trx, event);
    return event;
  }

  /** One transition in its own transaction; its domain event is published after the commit. */
  async function published(orderId: number, step: Step): Promise<OrderChanged> {
    try {
      return await db.transaction((trx) => transitionIn(trx, orderId, step, clock.now()));
    } catch (err) {
      if (!(err instanceof LostRace)) throw err;
      // A claim lost to a concurrent grab is "someone was first", whatever the loser read.
      if (step.action === 'grab' || step.action === 'dispatch_accept' || step.action === 'assign') throw orderTaken();
      throw versionConflict();
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

  /** Columns that put an order (back) into the hall. */
  function backToHall(o: Order, now: Date) {
    return {
      electrician_id: null,
      accepted_at: null,
      arrived_at: null,
      arrive_latitude: null,
      arrive_longitude: null,
      arrive_due_at: null,
      sla_alerted_at: null,
      expires_at: new Date(now.getTime() + business.orderPendingTtlMinutes * MINUTE),
      dispatch_status: o.priority === 'urgent' ? 'pending' : null,
    };
  }

  /** Columns and effects shared by grab, dispatch acceptance and admin assignment. */
  function acceptance(e: () => Electrician) {
    return {
      set: (o: Order, now: Date) => ({
        accepted_at: now,
        expires_at: null,
        sla_alerted_at: null,
        arrive_due_at:
          o.scheduledAt && o.scheduledAt > now ? o.scheduledAt : new Date(now.getTime() + business.arriveSlaMinutes * MINUTE),
        dispatch_status: o.dispatchStatus ? 'accepted' : null,
      }),
      /**
       * Takes a slot, then records the electrician on the claimed order. In this order because on
       * InnoDB writing electrician_id has the foreign-key check take a shared lock on the
       * electrician row: two grabs by one electrician would each hold it and deadlock upgrading it
       * in takeSlot. With the exclusive lock taken first, the check reuses it.
       */
      takeSlot: async (o: Order, trx: Knex.Transaction, now: Date) => {
        // Checked again under the row's lock: account deletion may have erased the profile since
        // the eligibility check, which read the transaction's snapshot.
        if (!(await electricians.isApprovedNow(e().id, trx))) throw notEligible();
        if (!(await electricians.takeSlot(e().id, business.maxActiveOrders, now, trx))) {
          throw conflict('ACTIVE_LIMIT_REACHED', `同时进行中的工单最多 ${business.maxActiveOrders} 个，请先完成手头的工单`);
        }
        await orders.updateWhere(o.id, {}, { electrician_id: e().id }, trx);
      },
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
    pricing,

    priceTable() {
      return (Object.keys(FAULT_TEXT) as FaultType[]).map((faultType) => ({
        faultType,
        name: FAULT_TEXT[faultType],
        ...pricing(faultType, false),
        urgentSurcharge: business.prices.urgentSurcharge,
      }));
    },

    async create(p: Principal, input: CreateOrderInput, idempotencyKey?: string): Promise<{ order: Order; replayed: boolean }> {
      const urgent = input.urgentType === 'urgent';
      const priority: Priority = urgent ? 'urgent' : 'medium';
      const { visitFee, estimatedAmount } = pricing(input.faultType, urgent);
      const now = clock.now();
      if (
        input.scheduledAt &&
        (input.scheduledAt.getTime() < now.getTime() - 5 * MINUTE || input.scheduledAt.getTime() > now.getTime() + 30 * DAY)
      ) {
        throw new AppError('VALIDATION_FAILED', 400, '预约时间须在 30 天之内', [
          { path: ['body', 'scheduledAt'], message: 'must be within the next 30 days' },
        ]);
      }

      const insert = async (trx: Knex.Transaction): Promise<number> => {
        if (!(await d.lockCustomer(p.id, trx))) throw unauthorized('登录已失效，请重新登录');
        const place = await placeOf(p.id, input, trx);
        const row = {
          user_id: p.id,
          title: input.title ?? `${FAULT_TEXT[input.faultType]}维修`,
          description: input.description,
          fault_type: input.faultType,
          priority,
          contact_name: place.contactName,
          contact_phone: place.contactPhone,
          region: place.region,
          address: place.address,
          latitude: place.latitude,
          longitude: place.longitude,
          images: JSON.stringify(input.images ?? []),
          scheduled_at: input.scheduledAt ?? null,
          visit_fee: visitFee,
          estimated_amount: estimatedAmount,
          status: 'pending',
          expires_at: new Date(now.getTime() + business.orderPendingTtlMinutes * MINUTE),
          dispatch_status: urgent ? 'pending' : null,
          payment_status: 'unpaid',
          created_at: now,
          updated_at: now,
        };
        let id = 0;
        for (let attempt = 0; ; attempt++) {
          try {
            id = await orders.insert(
              { ...row, order_no: `E${cstDate(now)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}` },
              trx,
            );
            break;
          } catch (err) {
            if (!isUniqueViolation(err) || attempt >= 4) throw err;
          }
        }
        if (input.images?.length) await d.files.attach(p.id, input.images, 'order', { type: 'order', id }, trx, 'images');
        const details = { visitFee, estimatedAmount, priority };
        const eventId = await orders.insertEvent(
          { orderId: id, action: 'create', from: null, to: 'pending', actorId: p.id, actorRole: 'customer', details },
          now,
          trx,
        );
        await bus.stage(trx, {
          name: 'order.created',
          action: 'create',
          orderId: id,
          from: null,
          to: 'pending',
          order: (await orders.findById(id, trx))!,
          actor: { id: p.id, role: 'customer' },
          previousElectricianId: null,
          details,
          eventId,
          at: now,
        });
        return id;
      };

      const { id, replayed } = idempotencyKey
        ? await d.idempotency({ userId: p.id, scope: 'POST /api/orders', key: idempotencyKey, body: input }, insert)
        : { id: await db.transaction(insert), replayed: false };
      return { order: (await orders.findById(id))!, replayed };
    },

    visibility,

    async events(p: Principal, id: number) {
      const { view } = await visibility(p, id);
      if (view !== 'full') throw notFound('工单不存在');
      return orders.events(id);
    },

    quotes: (id: number) => orders.quotes(id),

    async list(
      p: Principal,
      q: PageQuery & { status?: OrderStatus; as?: 'customer' | 'electrician'; owed?: boolean },
    ): Promise<Page<Order>> {
      const as = q.as ?? (p.userType === 'electrician' ? 'electrician' : 'customer');
      let filter: { userId?: number; electricianId?: number } = { userId: p.id };
      if (as === 'electrician') {
        const e = await me(p);
        if (!e) throw notEligible('你还不是认证电工');
        filter = { electricianId: e.id };
      }
      const { items, total } = await orders.list({
        ...filter,
        status: q.status,
        owed: q.owed,
        offset: offsetOf(q),
        limit: q.limit,
      });
      return { items, total, page: q.page, limit: q.limit };
    },

    async adminList(
      q: PageQuery & { status?: OrderStatus; electricianId?: number; from?: Date; to?: Date; keyword?: string },
    ): Promise<Page<Order>> {
      const { items, total } = await orders.list({ ...q, offset: offsetOf(q) });
      return { items, total, page: q.page, limit: q.limit };
    },

    /**
     * The order hall: pending orders within the radius, nearest first. The database narrows to a
     * latitude/longitude box on an index; exact great-circle distances decide membership and order.
     */
    async hall(
      p: Principal,
      q: PageQuery & Point & { radiusKm: number; faultType?: FaultType; priority?: Priority },
    ): Promise<Page<{ order: Order; distanceKm: number }>> {
      const e = await me(p);
      if (!eligible(e)) throw notEligible('仅已认证且在线的电工可以查看工单大厅');
      const center = { latitude: q.latitude, longitude: q.longitude };
      const candidates = await orders.hallCandidates({
        box: boundingBox(center, q.radiusKm),
        faultType: q.faultType,
        priority: q.priority,
        minEstimatedAmount: e.minOrderAmount,
        excludeUserId: p.id,
      });
      const inRange = candidates
        .map((c) => ({ ...c, distanceKm: distanceKm(center, c) }))
        .filter((c) => withinKm(c.distanceKm, q.radiusKm))
        .sort((a, b) => a.distanceKm - b.distanceKm || a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
      const pageIds = inRange.slice(offsetOf(q), offsetOf(q) + q.limit);
      const byId = new Map((await orders.findByIds(pageIds.map((c) => c.id))).map((o) => [o.id, o]));
      const items = pageIds
        .map((c) => ({ order: byId.get(c.id), distanceKm: roundKm(c.distanceKm) }))
        .filter((x): x is { order: Order; distanceKm: number } => !!x.order);
      return { items, total: inRange.length, page: q.page, limit: q.limit };
    },

    // --- transitions -----------------------------------------------------------------------

    async grab(p: Principal, id: number): Promise<Order> {
      let e: Electrician | undefined;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'grab',
        eligible: async (trx) => {
          e = await electricians.findByUserId(p.id, trx);
          if (!eligible(e)) throw notEligible();
        },
        actor: (o) => (o.userId === p.id ? { id: p.id, role: 'customer' } : { id: p.id, role: 'electrician' }),
        set: accept.set,
        effects: async (o, trx, now) => {
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx);
        },
        details: () => ({ electricianId: e!.id }),
      });
    },

    /** Accepting a dispatch offer is a grab that also requires the caller's offer to be open. */
    async acceptOffer(p: Principal, id: number): Promise<Order> {
      let e: Electrician | undefined;
      let offerId = 0;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'dispatch_accept',
        eligible: async (trx) => {
          e = await electricians.findByUserId(p.id, trx);
          if (!eligible(e)) throw notEligible();
        },
        actor: (o) => (o.userId === p.id ? { id: p.id, role: 'customer' } : { id: p.id, role: 'electrician' }),
        check: async (o, trx, now) => {
          // One offer per (order, electrician): an offer the timeout job has already closed is still
          // "expired" to its electrician, not "not found".
          const offer = await d.dispatch.offerTo(o.id, e!.id, trx);
          if (!offer || (offer.status !== 'offered' && offer.status !== 'expired')) throw notFound('没有待处理的派单');
          if (offer.status === 'expired' || offer.expiresAt <= now) {
            throw conflict('OFFER_EXPIRED', '派单已超时');
          }
          offerId = offer.id;
        },
        set: accept.set,
        effects: async (o, trx, now) => {
          if (!(await d.dispatch.acceptOffer(offerId, now, trx))) throw conflict('OFFER_EXPIRED', '派单已超时');
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx, offerId);
        },
        details: () => ({ electricianId: e!.id, offerId }),
      });
    },

    async assign(admin: Principal, id: number, electricianId: number): Promise<Order> {
      let e: Electrician | undefined;
      const accept = acceptance(() => e!);
      return transition(id, {
        action: 'assign',
        actor: () => ({ id: admin.id, role: 'admin' }),
        check: async (o, trx) => {
          e = await electricians.findById(electricianId, trx);
          if (!e) throw notFound('电工不存在');
          if (!eligible(e)) throw notEligible('该电工未认证或不在线，不能指派');
          if (e.userId === o.userId) throw notEligible('不能把工单指派给下单人自己');
        },
        set: accept.set,
        effects: async (o, trx, now) => {
          await accept.takeSlot(o, trx, now);
          await closeOffers(o.id, 'lost', now, trx);
        },
        details: () => ({ electricianId }),
      });
    },

    async release(p: Principal, id: number, reason: string): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'release',
        actor: (o) => partyOf(p, o, eid),
        set: backToHall,
        effects: (o, trx, now) => freeSlotOf(o, 'released', trx, now),
        details: (o) => ({ reason, electricianId: o.electricianId }),
      });
    },

    async unassign(admin: Principal, id: number, reason: string): Promise<Order> {
      return transition(id, {
        action: 'unassign',
        actor: () => ({ id: admin.id, role: 'admin' }),
        set: backToHall,
        effects: (o, trx, now) => freeSlotOf(o, 'released', trx, now),
        details: (o) => ({ reason, electricianId: o.electricianId }),
      });
    },

    async arrive(p: Principal, id: number, at: Point): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'arrive',
        actor: (o) => partyOf(p, o, eid),
        set: (_o, now) => ({ arrived_at: now, arrive_latitude: at.latitude, arrive_longitude: at.longitude }),
        details: (o) => ({ latitude: at.latitude, longitude: at.longitude, distanceKm: roundKm(distanceKm(o, at)) }),
      });
    },

    async quote(p: Principal, id: number, input: { items: QuoteItem[]; labourFee: number; note?: string }): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      const materialsFee = input.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
      const amount = materialsFee + input.labourFee;
      if (amount <= 0)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额必须大于 0', [
          { path: ['body', 'labourFee'], message: 'total must be positive' },
        ]);
      if (amount > 10_000_000)
        throw new AppError('VALIDATION_FAILED', 400, '报价金额过大', [{ path: ['body', 'items'], message: 'total too large' }]);
      return transition(id, {
        action: 'quote',
        actor: (o) => partyOf(p, o, eid),
        set: (o, now) => ({
          quoted_amount: amount,
          quote_items: JSON.stringify(input.items),
          quote_version: o.quoteVersion + 1,
          quoted_at: now,
        }),
        effects: async (o, trx, now) => {
          await orders.insertQuote(
            {
              orderId: o.id,
              version: o.quoteVersion + 1,
              electricianId: o.electricianId!,
              items: input.items,
              materialsFee,
              labourFee: input.labourFee,
              amount,
              note: input.note ?? null,
              createdAt: now,
            },
            trx,
          );
        },
        details: (o) => ({ version: o.quoteVersion + 1, amount, materialsFee, labourFee: input.labourFee }),
      });
    },

    async rejectQuote(p: Principal, id: number, reason?: string): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'quote_reject',
        actor: (o) => partyOf(p, o, eid),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'rejected', reason ?? null, now, trx),
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount, reason: reason ?? null }),
      });
    },

    async acceptQuote(p: Principal, id: number): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'quote_accept',
        actor: (o) => partyOf(p, o, eid),
        set: (o, now) => ({ final_amount: o.quotedAmount, started_at: now }),
        effects: (o, trx, now) => orders.decideQuote(o.id, o.quoteVersion, 'accepted', null, now, trx),
        details: (o) => ({ version: o.quoteVersion, amount: o.quotedAmount }),
      });
    },

    async complete(p: Principal, id: number, input: { repairContent: string; repairImages: number[] }): Promise<Order> {
      const eid = await electricianIdOf(p.id);
      return transition(id, {
        action: 'complete',
        actor: (o) => partyOf(p, o, eid),
        set: (_o, now) => ({
          repair_content: input.repairContent,
          repair_images: JSON.stringify(input.repairImages),
          completed_at: now,
        }),
        effects: async (o, trx, now) => {
          await d.files.attach(p.id, input.repairImages, 'repair', { type: 'order', id: o.id }, trx, 'repairImages');
          await freeSlotOf(o, 'completed', trx, now);
        },
        details: (o) => ({ amountDue: o.finalAmount, repairImages: input.repairImages.length }),
      });
    },

    /** Customer or admin. After arrival the stored visit fee becomes what is owed, nothing more. */
    async cancel(p: Principal, id: number, reason: string, asAdmin = false): Promise<Order> {
      const eid = asAdmin ? undefined : await electricianIdOf(p.id);
      const feeDue = (o: Order) => (VISIT_FEE_DUE_FROM.includes(o.status) ? o.visitFee : 0);
      let role: Actor['role'] = 'customer';
      return transition(id, {
        action: 'cancel',
        actor: (o) => {
          const actor = asAdmin ? { id: p.id, role: 'admin' as const } : partyOf(p, o, eid, 'orders.cancel');
          role = actor.role;
          return actor;
        },
        set: (o, now) => ({
          cancelled_at: now,
          cancel_reason: reason,
          cancelled_by: role,
          final_amount: feeDue(o),
          expires_at: null,
          dispatch_status: o.dispatchStatus && o.dispatchStatus !== 'accepted' ? 'exhausted' : o.dispatchStatus,
        }),
        effects: async (o, trx, now) => {
          await freeSlotOf(o, 'cancelled', trx, now);
          await closeOffers(o.id, 'cancelled', now, trx);
          if (o.status === 'quoted') await orders.decideQuote(o.id, o.quoteVersion, 'cancelled', reason, now, trx);
        },
        details: (o) => ({ reason, amountDue: feeDue(o), electricianId: o.electricianId }),
      });
    },

    /**
     * A complaint resolved with a free repair: the completed order goes back to `in_progress` for its
     * electrician, who holds a slot for it again and completes it once more (the customer pays
     * nothing new: the order keeps its final amount and payment status). With `trx` the transition
     * joins the caller's transaction (its event is published after that commits); without, it runs
     * in its own.
     */
    async rework(
      orderId: number,
      actor: Actor,
      details: Record<string, unknown>,
      trx?: Knex.Transaction,
    ): Promise<{ order: Order; event: OrderChanged }> {
      const step: Step = {
        action: 'rework',
        actor: () => actor,
        effects: async (o, t, now) => {
          if (o.electricianId !== null) await electricians.reopenSlot(o.electricianId, now, t);
        },
        details: (o) => ({ ...details, electricianId: o.electricianId }),
      };
      let event: OrderChanged;
      if (!trx) event = await published(orderId, step);
      else {
        try {
          event = await transitionIn(trx, orderId, step, clock.now());
        } catch (err) {
          throw err instanceof LostRace ? versionConflict() : err;
        }
      }
      return { order: event.order, event };
    },

    // --- jobs ----------------------------------------------------------------------------------

    /** Pending orders past their TTL expire. Safe to run in several processes: each claim is conditional. */
    async expireDue(limit = 100): Promise<number> {
      let expired = 0;
      for (const o of await orders.duePending(clock.now(), limit)) {
        try {
          await transition(o.id, {
            action: 'expire',
            actor: () => ({ id: null, role: 'system' }),
            set: (_o, now) => ({ expired_at: now, expires_at: null, dispatch_status: o.dispatchStatus ? 'exhausted' : null }),
            effects: (cur, trx, now) => closeOffers(cur.id, 'cancelled', now, trx),
            details: () => ({ ttlMinutes: business.orderPendingTtlMinutes }),
          });
          expired++;
        } catch (err) {
          // Grabbed or cancelled meanwhile: nothing to expire.
          if (!(err instanceof AppError && err.status === 409)) throw err;
        }
      }
      return expired;
    },

    /** Accepted orders not arrived by their due time alert ops once (the flag is claimed conditionally). */
    async alertOverdueArrivals(limit = 100): Promise<number> {
      let alerted = 0;
      const now = clock.now();
      for (const o of await orders.overdueArrivals(now, limit)) {
        const claimed = await db.transaction(async (trx) => {
          if (!(await orders.updateWhere(o.id, { status: 'accepted', sla_alerted_at: null }, { sla_alerted_at: now }, trx)))
            return false;
          await bus.stage(trx, { name: 'order.arrival_overdue', orderId: o.id, order: { ...o, slaAlertedAt: now } });
          return true;
        });
        if (claimed) alerted++;
      }
      return alerted;
    },

    // --- dashboard -----------------------------------------------------------------------------

    async stats(range?: { from?: Date; to?: Date }) {
      const now = clock.now();
      // "Today" is the calendar day in China Standard Time.
      const cstMidnight = new Date(Math.floor((now.getTime() + 8 * 60 * MINUTE) / DAY) * DAY - 8 * 60 * MINUTE);
      const summarize = async (from: Date, to: Date) => {
        const byStatus = await orders.countByStatus(from, to);
        const created = Object.values(byStatus).reduce((a, b) => a + b, 0);
        const accepts = await orders.acceptTimes(from, to);
        const avg = accepts.length
          ? accepts.reduce((sum, a) => sum + (a.acceptedAt.getTime() - a.createdAt.getTime()), 0) / accepts.length / MINUTE
          : null;
        const rate = (n: number) => (created ? Math.round((n / created) * 10_000) / 10_000 : null);
        return {
          from: from.toISOString(),
          to: to.toISOString(),
          created,
          byStatus,
          gmv: await orders.paidTotal(from, to),
          avgMinutesToAccept: avg === null ? null : Math.round(avg * 10) / 10,
          completionRate: rate(byStatus.completed ?? 0),
          cancellationRate: rate(byStatus.cancelled ?? 0),
        };
      };
      const end = new Date(now.getTime() + 1);
      return {
        today: await summarize(cstMidnight, end),
        last7Days: await summarize(new Date(cstMidnight.getTime() - 6 * DAY), end),
        ...(range?.from || range?.to ? { range: await summarize(range.from ?? new Date(0), range.to ?? end) } : {}),
      };
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
