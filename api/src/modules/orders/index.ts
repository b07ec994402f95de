/** What other modules may use of orders (the rest is its own). */
import type { Db } from '../../db';
import type { DispatchOrders } from '../dispatch';
import { createOrdersRepository, type OrdersRepository } from './orders.repository';
import type { OrdersService } from './orders.service';

export { placeFields, type Place } from './orders.schemas';
export type { Order } from './orders.repository';
export type { ArrivalOverdue, OrderChanged, OrderPaid } from './orders.events';
export { STATUS_TEXT, type ActorRole, type OrderAction, type OrderStatus } from './order-states';
export { amountDueOf, createOrderPresenter } from './orders.views';

/** An order by id (read-only). */
export type OrderReader = Pick<OrdersRepository, 'findById'>;

/** An electrician's orders in a status (e.g. `accepted`, for the on-the-way location). */
export type OrderLists = Pick<OrdersRepository, 'list'>;

/** What payments does to an order, inside the payment's transaction: lock, mark paid, refund status, event. */
export type PaymentOrdersPort = Pick<
  OrdersRepository,
  'findById' | 'lockUnpaid' | 'markPaid' | 'setPaymentStatus' | 'insertEvent' | 'countAcceptedBy'
>;

/** What reviews does to an order: read it and store the rating (conditional, inside the review's transaction). */
export type ReviewOrdersPort = Pick<OrdersRepository, 'findById' | 'rate'>;

/** Parts requests (inventory): the order read in the request's transaction, and each step of a request on its timeline. */
export type PartsOrdersPort = Pick<OrdersRepository, 'findById' | 'insertEvent'>;

/** Rework of a completed order, run inside the complaint's transaction. */
export type ReworkPort = Pick<OrdersService, 'rework'>;

/** Order numbers shown next to another module's rows (payments, refunds), by id, and the keyword subquery over them. */
export type OrderNumbers = Pick<OrdersRepository, 'orderNos' | 'idsWithOrderNoContaining'>;

/** Whether a party has an order in progress (account deletion waits), and anonymising a deleted customer's orders. */
export type CustomerOrders = Pick<OrdersRepository, 'hasOpenFor' | 'anonymiseCustomer'>;

/** Everything other modules may use of orders, as one handle (each is given the narrow view it needs). */
export type OrdersPorts = OrderReader &
  OrderLists &
  PaymentOrdersPort &
  ReviewOrdersPort &
  OrderNumbers &
  CustomerOrders &
  DispatchOrders;

/**
 * The orders ports over a database handle. Dispatch is built before orders (the orders routes show
 * and answer dispatch offers) yet locks and marks orders: it takes them from here.
 */
export const ordersPortsOf = (db: Db): OrdersPorts => createOrdersRepository(db);
