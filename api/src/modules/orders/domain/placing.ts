import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { FaultType } from '../../../config';
import { isUniqueViolation } from '../../../db';
import type { Principal } from '../../../shared/auth';
import { DAY, MINUTE } from '../../../shared/clock';
import { AppError, unauthorized } from '../../../shared/errors';
import type { NewOrder, Order, Priority } from '../orders.repository';
import type { OrdersRunner, CreateOrderInput } from './runner';

export const FAULT_TEXT: Record<FaultType, string> = {
  circuit: '电路故障',
  appliance: '电器维修',
  lighting: '灯具照明',
  installation: '安装布线',
  maintenance: '检修保养',
  emergency: '紧急抢修',
  other: '其他',
};

/** China Standard Time date for human-readable order numbers. */
function cstDate(d: Date): string {
  return new Date(d.getTime() + 8 * 60 * MINUTE).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Placing an order: prices, the price table and creating an order (customer). */
export function createPlacingUseCases(r: OrdersRunner) {
  const { d, db, orders, bus, clock, business, pricing, placeOf } = r;
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

      /** The customer's row, locked: an order is never placed on an account being deleted. */
      const lockCustomer = async (trx: Knex.Transaction): Promise<void> => {
        if (!(await d.lockCustomer(p.id, trx))) throw unauthorized('登录已失效，请重新登录');
      };
      /** The order as its transaction stored it (an idempotent replay reads it instead). */
      let placed: Order | undefined;
      const insert = async (trx: Knex.Transaction, locked = false): Promise<number> => {
        if (!locked) await lockCustomer(trx);
        const place = await placeOf(p.id, input, trx);
        const order: Omit<NewOrder, 'orderNo'> = {
          userId: p.id,
          title: input.title ?? `${FAULT_TEXT[input.faultType]}维修`,
          description: input.description,
          faultType: input.faultType,
          priority,
          contactName: place.contactName,
          contactPhone: place.contactPhone,
          region: place.region,
          address: place.address,
          latitude: place.latitude,
          longitude: place.longitude,
          images: input.images ?? [],
          scheduledAt: input.scheduledAt ?? null,
          visitFee,
          estimatedAmount,
          expiresAt: new Date(now.getTime() + business.orderPendingTtlMinutes * MINUTE),
          dispatchStatus: urgent ? 'pending' : null,
          createdAt: now,
        };
        let id = 0;
        for (let attempt = 0; ; attempt++) {
          try {
            id = await orders.insert(
              { ...order, orderNo: `E${cstDate(now)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}` },
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
        // Read once, as the database stored it: the event carries it and the request answers with it.
        placed = (await orders.findById(id, trx))!;
        await bus.stage(trx, {
          name: 'order.created',
          action: 'create',
          orderId: id,
          from: null,
          to: 'pending',
          order: placed,
          actor: { id: p.id, role: 'customer' },
          previousElectricianId: null,
          holders: { current: null, previous: null },
          details,
          eventId,
          at: now,
        });
        return id;
      };

      const { id, replayed } = idempotencyKey
        ? await d.idempotency(
            { userId: p.id, scope: 'POST /api/orders', key: idempotencyKey, body: input, lockFirst: lockCustomer },
            (trx) => insert(trx, true),
          )
        : { id: await db.transaction((trx) => insert(trx)), replayed: false };
      return { order: !replayed && placed?.id === id ? placed : (await orders.findById(id))!, replayed };
    },
  };
}
