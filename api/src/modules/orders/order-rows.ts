import type { FaultType } from '../../config';
import { fromJson, toDate } from '../../shared/rows';
import type { ActorRole, OrderStatus } from './order-states';
import type { PricedQuoteLine, PriceFlag } from '../inventory';

/*
 * The orders module's rows as the rest of the module sees them (camelCase), and their mapping to
 * and from columns: shared by the repository files (orders.repository.ts, order-queries.repository.ts).
 */

export type Priority = 'low' | 'medium' | 'high' | 'urgent';
export type PaymentStatus = 'unpaid' | 'paid' | 'refunded' | 'partial_refund';
export type DispatchStatus = 'pending' | 'offering' | 'exhausted' | 'accepted';

/**
 * A quote line as the price list priced it (inventory's `PricedQuoteLine`: a catalog line carries its
 * item, unit, standard price and flag); quotes stored before the price list have only name, quantity
 * and unit price, so the flag is optional here.
 */
export type QuoteItem = Omit<PricedQuoteLine, 'priceFlag'> & { priceFlag?: PriceFlag };

export interface Order {
  id: number;
  orderNo: string;
  userId: number;
  electricianId: number | null;
  title: string;
  description: string;
  faultType: FaultType;
  priority: Priority;
  contactName: string;
  contactPhone: string;
  region: string;
  address: string;
  latitude: number;
  longitude: number;
  images: number[];
  scheduledAt: Date | null;
  visitFee: number;
  estimatedAmount: number;
  quotedAmount: number | null;
  finalAmount: number | null;
  quoteItems: QuoteItem[] | null;
  quoteVersion: number;
  repairContent: string | null;
  repairImages: number[];
  status: OrderStatus;
  expiresAt: Date | null;
  acceptedAt: Date | null;
  arrivedAt: Date | null;
  arriveLatitude: number | null;
  arriveLongitude: number | null;
  quotedAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  expiredAt: Date | null;
  cancelReason: string | null;
  cancelledBy: ActorRole | null;
  arriveDueAt: Date | null;
  slaAlertedAt: Date | null;
  dispatchStatus: DispatchStatus | null;
  paymentStatus: PaymentStatus;
  paymentMethod: string | null;
  transactionId: string | null;
  paidAt: Date | null;
  rating: number | null;
  notes: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderEvent {
  id: number;
  orderId: number;
  action: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actorId: number | null;
  actorRole: ActorRole;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface Quote {
  id: number;
  orderId: number;
  version: number;
  electricianId: number;
  items: QuoteItem[];
  materialsFee: number;
  labourFee: number;
  amount: number;
  note: string | null;
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled';
  reason: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export function mapOrder(r: Row): Order {
  return {
    id: Number(r.id),
    orderNo: String(r.order_no),
    userId: Number(r.user_id),
    electricianId: num(r.electrician_id),
    title: String(r.title),
    description: String(r.description),
    faultType: r.fault_type as FaultType,
    priority: r.priority as Priority,
    contactName: String(r.contact_name),
    contactPhone: String(r.contact_phone),
    region: String(r.region),
    address: String(r.address),
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    images: fromJson<number[]>(r.images, []),
    scheduledAt: toDate(r.scheduled_at),
    visitFee: Number(r.visit_fee),
    estimatedAmount: Number(r.estimated_amount),
    quotedAmount: num(r.quoted_amount),
    finalAmount: num(r.final_amount),
    quoteItems: fromJson<QuoteItem[] | null>(r.quote_items, null),
    quoteVersion: Number(r.quote_version),
    repairContent: str(r.repair_content),
    repairImages: fromJson<number[]>(r.repair_images, []),
    status: r.status as OrderStatus,
    expiresAt: toDate(r.expires_at),
    acceptedAt: toDate(r.accepted_at),
    arrivedAt: toDate(r.arrived_at),
    arriveLatitude: num(r.arrive_latitude),
    arriveLongitude: num(r.arrive_longitude),
    quotedAt: toDate(r.quoted_at),
    startedAt: toDate(r.started_at),
    completedAt: toDate(r.completed_at),
    cancelledAt: toDate(r.cancelled_at),
    expiredAt: toDate(r.expired_at),
    cancelReason: str(r.cancel_reason),
    cancelledBy: (r.cancelled_by as ActorRole | null) ?? null,
    arriveDueAt: toDate(r.arrive_due_at),
    slaAlertedAt: toDate(r.sla_alerted_at),
    dispatchStatus: (r.dispatch_status as DispatchStatus | null) ?? null,
    paymentStatus: r.payment_status as PaymentStatus,
    paymentMethod: str(r.payment_method),
    transactionId: str(r.transaction_id),
    paidAt: toDate(r.paid_at),
    rating: num(r.rating),
    notes: str(r.notes),
    version: Number(r.version),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

export function mapEvent(r: Row): OrderEvent {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    action: String(r.action),
    fromStatus: (r.from_status as OrderStatus | null) ?? null,
    toStatus: r.to_status as OrderStatus,
    actorId: num(r.actor_id),
    actorRole: r.actor_role as ActorRole,
    details: fromJson<Record<string, unknown>>(r.details, {}),
    createdAt: toDate(r.created_at)!,
  };
}

export function mapQuote(r: Row): Quote {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    version: Number(r.version),
    electricianId: Number(r.electrician_id),
    items: fromJson<QuoteItem[]>(r.items, []),
    materialsFee: Number(r.materials_fee),
    labourFee: Number(r.labour_fee),
    amount: Number(r.amount),
    note: str(r.note),
    status: r.status as Quote['status'],
    reason: str(r.reason),
    createdAt: toDate(r.created_at)!,
    decidedAt: toDate(r.decided_at),
  };
}

/**
 * What a transition or a bookkeeping update changes of an order, camelCase: the repository maps it
 * to columns (JSON-encoding the lists), so use cases never name a column.
 */
export type OrderPatch = Partial<
  Pick<
    Order,
    | 'electricianId'
    | 'status'
    | 'quotedAmount'
    | 'finalAmount'
    | 'quoteItems'
    | 'quoteVersion'
    | 'repairContent'
    | 'repairImages'
    | 'expiresAt'
    | 'acceptedAt'
    | 'arrivedAt'
    | 'arriveLatitude'
    | 'arriveLongitude'
    | 'quotedAt'
    | 'startedAt'
    | 'completedAt'
    | 'cancelledAt'
    | 'expiredAt'
    | 'cancelReason'
    | 'cancelledBy'
    | 'arriveDueAt'
    | 'slaAlertedAt'
    | 'dispatchStatus'
    | 'updatedAt'
  >
>;

const PATCH_COLUMNS: Record<keyof OrderPatch, string> = {
  electricianId: 'electrician_id',
  status: 'status',
  quotedAmount: 'quoted_amount',
  finalAmount: 'final_amount',
  quoteItems: 'quote_items',
  quoteVersion: 'quote_version',
  repairContent: 'repair_content',
  repairImages: 'repair_images',
  expiresAt: 'expires_at',
  acceptedAt: 'accepted_at',
  arrivedAt: 'arrived_at',
  arriveLatitude: 'arrive_latitude',
  arriveLongitude: 'arrive_longitude',
  quotedAt: 'quoted_at',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  cancelledAt: 'cancelled_at',
  expiredAt: 'expired_at',
  cancelReason: 'cancel_reason',
  cancelledBy: 'cancelled_by',
  arriveDueAt: 'arrive_due_at',
  slaAlertedAt: 'sla_alerted_at',
  dispatchStatus: 'dispatch_status',
  updatedAt: 'updated_at',
};
const JSON_FIELDS: ReadonlySet<keyof OrderPatch> = new Set(['quoteItems', 'repairImages']);

/** The columns of a patch (undefined fields are left out; null is written, or matched as `is null`). */
export function patchColumns(patch: OrderPatch): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(patch) as [keyof OrderPatch, unknown][]) {
    if (value === undefined) continue;
    row[PATCH_COLUMNS[key]] = JSON_FIELDS.has(key) && value !== null ? JSON.stringify(value) : value;
  }
  return row;
}

/** A new order as the customer places it (pending, unpaid). */
export type NewOrder = Pick<
  Order,
  | 'orderNo'
  | 'userId'
  | 'title'
  | 'description'
  | 'faultType'
  | 'priority'
  | 'contactName'
  | 'contactPhone'
  | 'region'
  | 'address'
  | 'latitude'
  | 'longitude'
  | 'images'
  | 'scheduledAt'
  | 'visitFee'
  | 'estimatedAmount'
  | 'expiresAt'
  | 'dispatchStatus'
  | 'createdAt'
>;
