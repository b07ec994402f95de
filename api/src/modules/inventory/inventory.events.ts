/** The inventory module's domain events (added to the domain bus's events below). */
import type { Actor } from '../../shared/domain-events';
import type { PartsRequestStatus } from './inventory.schemas';

/**
 * A step of a parts request (SPEC 3.10), published after commit: the other side is notified — staff
 * with `inventory.manage` of a new, cancelled or settled request, the electrician of a decision,
 * the issue, or a cancellation by the system (the order was cancelled or taken back).
 */
export interface PartsRequestChanged {
  name:
    | 'parts_request.created'
    | 'parts_request.approved'
    | 'parts_request.rejected'
    | 'parts_request.issued'
    | 'parts_request.cancelled'
    | 'parts_request.settled';
  requestId: number;
  orderId: number;
  orderNo: string;
  /** The user id of the electrician who asked. */
  electricianUserId: number;
  warehouseName: string;
  status: PartsRequestStatus;
  /** The rejection or cancellation reason. */
  reason: string | null;
  actor: Actor;
  at: Date;
}

/**
 * Available stock of an item in a warehouse fell below its safety stock (published once; again
 * only after it recovered). Inventory staff are notified.
 */
export interface StockLow {
  name: 'stock.low';
  /** The movement that took it below: with the names, the notification's key. */
  movementId: number;
  warehouseId: number;
  warehouseName: string;
  catalogItemId: number;
  itemName: string;
  unit: string;
  available: number;
  safetyStock: number;
  at: Date;
}

declare module '../../shared/domain-events' {
  interface DomainEventMap {
    PartsRequestChanged: PartsRequestChanged;
    StockLow: StockLow;
  }
}
