import type { OrderStatus } from '../utils/format';
import { query, request, requestPage, type PageResult } from './request';

export type FaultType = 'circuit' | 'appliance' | 'lighting' | 'installation' | 'maintenance' | 'emergency' | 'other';
export type Priority = 'low' | 'medium' | 'high' | 'urgent';
export type UrgentType = 'urgent' | 'normal';

/** One row of GET /api/orders/pricing; amounts in fen. */
export interface PriceItem {
  faultType: FaultType;
  name: string;
  visitFee: number;
  estimatedAmount: number;
  urgentSurcharge: number;
}

export interface UploadRef {
  id: number;
  url: string;
}

/**
 * A line of a quote as the order carries it. Lines taken from the price list also carry the item,
 * its unit, its standard price and how the quoted price compares (`priceFlag`); free-text lines are
 * `custom`; quotes made before the price list have none of these.
 */
export interface QuotedLine {
  name: string;
  quantity: number;
  unitPrice: number;
  catalogItemId?: number;
  unit?: string;
  standardPrice?: number;
  priceFlag?: 'standard' | 'above_standard' | 'custom';
}

export interface OrderPublic {
  id: number;
  orderNo: string;
  title: string;
  description: string;
  faultType: FaultType;
  priority: Priority;
  status: OrderStatus;
  region: string;
  distanceKm: number | null;
  /** Rounded to about 1 km: where on the hall's map, not which house. */
  approxLocation: { latitude: number; longitude: number };
  contactName: string;
  contactPhone: string;
  images: UploadRef[];
  visitFee: number;
  estimatedAmount: number;
  scheduledAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface Order extends OrderPublic {
  address: string;
  latitude: number;
  longitude: number;
  userId: number;
  electricianId: number | null;
  electrician: {
    id: number;
    name: string;
    phone: string | null;
    avatarUrl: string | null;
    rating: number;
    completedOrders: number;
  } | null;
  quotedAmount: number | null;
  finalAmount: number | null;
  quoteItems: QuotedLine[] | null;
  quoteVersion: number;
  cancelFee: number;
  amountDue: number;
  repairContent: string | null;
  repairImages: UploadRef[];
  paymentStatus: 'unpaid' | 'paid' | 'refunded' | 'partial_refund';
  paidAt: string | null;
  cancelReason: string | null;
  cancelledBy: string | null;
  dispatchStatus: string | null;
  acceptedAt: string | null;
  arrivedAt: string | null;
  quotedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  expiredAt: string | null;
  arriveDueAt: string | null;
  version: number;
  updatedAt: string;
}

export interface OrderEvent {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorId: number | null;
  actorRole: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** What an order says about the job; where it is comes from `OrderPlace`. */
interface OrderJob {
  description: string;
  urgentType: UrgentType;
  faultType: FaultType;
  title?: string;
  images?: number[];
  scheduledAt?: string;
}

/** The place typed in, or an address book entry (`addressId`: contact and coordinates are copied from it). */
export type OrderPlace =
  | { contactName: string; contactPhone: string; address: string; region: string; latitude: number; longitude: number }
  | { addressId: number };

export type CreateOrderBody = OrderJob & OrderPlace;

export interface ListOrdersQuery {
  status?: OrderStatus;
  as?: 'customer' | 'electrician';
  /** Only the orders with money owed (the 待支付 tab). */
  owed?: boolean;
  page?: number;
  limit?: number;
}

export interface HallQuery {
  latitude: number;
  longitude: number;
  radiusKm?: number;
  faultType?: FaultType;
  priority?: Priority;
  page?: number;
  limit?: number;
}

/** A key for the Idempotency-Key header: make one per submit attempt and reuse it when retrying that attempt. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function pricing(): Promise<PriceItem[]> {
  return request<PriceItem[]>({ url: '/api/orders/pricing', auth: false });
}

export function createOrder(body: CreateOrderBody, idempotencyKey: string, opts: { silent?: boolean } = {}): Promise<Order> {
  return request<Order>({
    url: '/api/orders',
    method: 'POST',
    data: { ...body },
    header: { 'Idempotency-Key': idempotencyKey },
    silent: opts.silent,
  });
}

export function listOrders(q: ListOrdersQuery = {}, opts: { silent?: boolean } = {}): Promise<PageResult<Order>> {
  return requestPage<Order>({ url: `/api/orders${query(q)}`, silent: opts.silent });
}

export function hall(q: HallQuery): Promise<PageResult<OrderPublic>> {
  return requestPage<OrderPublic>({ url: `/api/orders/hall${query(q)}` });
}

export function orderDetail(id: number): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}` });
}

export function orderEvents(id: number): Promise<OrderEvent[]> {
  return request<OrderEvent[]>({ url: `/api/orders/${id}/events` });
}

/** 409 ORDER_TAKEN when someone was first (pass silent to show your own message). */
export function grabOrder(id: number, opts: { silent?: boolean } = {}): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/grab`, method: 'POST', data: {}, silent: opts.silent });
}

export function cancelOrder(id: number, reason: string): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/cancel`, method: 'POST', data: { reason } });
}

export function acceptQuote(id: number): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/quote/accept`, method: 'POST', data: {} });
}

export function rejectQuote(id: number, reason?: string): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/quote/reject`, method: 'POST', data: reason ? { reason } : {} });
}

/** The fees shown before ordering; the API adds the urgent surcharge to both (orders.service pricing). */
export function feesFor(item: PriceItem, urgent: boolean): { visitFee: number; estimatedAmount: number } {
  const surcharge = urgent ? item.urgentSurcharge : 0;
  return { visitFee: item.visitFee + surcharge, estimatedAmount: item.estimatedAmount + surcharge };
}

// --- the assigned electrician's actions

/** A quote line as sent: a price-list item (its name and unit come from the list) or a named free-text line. */
export type QuoteItem = { quantity: number; /** Fen. */ unitPrice: number } & (
  { catalogItemId: number; name?: undefined } | { name: string; catalogItemId?: undefined }
);

export interface QuoteBody {
  items: QuoteItem[];
  /** Fen. */
  labourFee: number;
  note?: string;
}

export function acceptDispatch(id: number, opts: { silent?: boolean } = {}): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/dispatch/accept`, method: 'POST', data: {}, silent: opts.silent });
}

export function rejectDispatch(id: number, reason?: string): Promise<Record<string, never>> {
  return request({ url: `/api/orders/${id}/dispatch/reject`, method: 'POST', data: reason ? { reason } : {} });
}

export function arriveOrder(id: number, at: { latitude: number; longitude: number }): Promise<Order> {
  return request<Order>({
    url: `/api/orders/${id}/arrive`,
    method: 'POST',
    data: { latitude: at.latitude, longitude: at.longitude },
  });
}

export function quoteOrder(id: number, body: QuoteBody): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/quote`, method: 'POST', data: { ...body } });
}

export function releaseOrder(id: number, reason: string): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/release`, method: 'POST', data: { reason } });
}

export function completeOrder(id: number, body: { repairContent: string; repairImages: number[] }): Promise<Order> {
  return request<Order>({ url: `/api/orders/${id}/complete`, method: 'POST', data: { ...body } });
}
