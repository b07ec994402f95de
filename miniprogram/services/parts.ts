import type { components } from './api-types';
import { request } from './request';

/** A parts request (配件申请) of an order, as the API documents it. */
export type PartsRequest = components['schemas']['PartsRequest'];
export type PartsRequestStatus = PartsRequest['status'];
/** A warehouse an electrician may ask for parts. */
export type Warehouse = components['schemas']['Warehouse'];

export const PARTS_STATUS_TEXT: Record<PartsRequestStatus, string> = {
  pending: '待审批',
  approved: '已批准，待领取',
  issued: '已领取，待登记用量',
  settled: '已登记用量',
  rejected: '已驳回',
  cancelled: '已撤回',
};

/** '五孔插座 ×2个、BV 2.5 mm² 铜芯线 ×10米' (with what was used, once settled). */
export function partsText(r: Pick<PartsRequest, 'items'>): string {
  return r.items.map((i) => `${i.name} ×${i.quantity}${i.unit}${i.used !== null ? `（用 ${i.used}）` : ''}`).join('、');
}

export function warehouses(): Promise<Warehouse[]> {
  return request<Warehouse[]>({ url: '/api/warehouses' });
}

export function orderPartsRequests(orderId: number, opts: { silent?: boolean } = {}): Promise<PartsRequest[]> {
  return request<PartsRequest[]>({ url: `/api/orders/${orderId}/parts-requests`, silent: opts.silent });
}

export function requestParts(
  orderId: number,
  body: { warehouseId: number; items: { catalogItemId: number; quantity: number }[]; note?: string },
): Promise<PartsRequest> {
  return request<PartsRequest>({ url: `/api/orders/${orderId}/parts-requests`, method: 'POST', data: body });
}

export function cancelPartsRequest(id: number): Promise<PartsRequest> {
  return request<PartsRequest>({ url: `/api/parts-requests/${id}/cancel`, method: 'POST', data: {} });
}

/** Records what was used of each issued line (used ≤ issued); the rest goes back to stock. */
export function settlePartsRequest(id: number, items: { catalogItemId: number; used: number }[]): Promise<PartsRequest> {
  return request<PartsRequest>({ url: `/api/parts-requests/${id}/settle`, method: 'POST', data: { items } });
}
