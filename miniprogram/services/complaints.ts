import { query, request, requestPage, type PageResult } from './request';

export type ComplaintType = 'quality' | 'service' | 'price' | 'other';
export type ComplaintStatus = 'open' | 'processing' | 'resolved' | 'rejected';

export const COMPLAINT_TYPE_TEXT: Record<ComplaintType, string> = {
  quality: '维修质量',
  service: '服务态度',
  price: '收费问题',
  other: '其他',
};

export const COMPLAINT_STATUS_TEXT: Record<ComplaintStatus, string> = {
  open: '待处理',
  processing: '处理中',
  resolved: '已解决',
  rejected: '已驳回',
};

export interface ComplaintEvent {
  id: number;
  action: 'open' | 'message' | 'reply' | 'escalate' | 'resolve';
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  level: string;
  actorId: number | null;
  actorRole: 'customer' | 'admin' | 'system';
  content: string | null;
  images: { id: number; url: string }[];
  details: Record<string, unknown>;
  createdAt: string;
}

export interface Complaint {
  id: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  electricianId: number | null;
  type: ComplaintType;
  content: string;
  images: { id: number; url: string }[];
  level: string;
  status: ComplaintStatus;
  outcome: 'rework' | 'refund' | 'compensate' | 'reject' | null;
  refundAmount: number | null;
  refundNo: string | null;
  resolutionNote: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  events?: ComplaintEvent[];
}

export function openComplaint(
  orderId: number,
  body: { type: ComplaintType; content: string; images?: number[] },
): Promise<Complaint> {
  return request<Complaint>({ url: `/api/orders/${orderId}/complaints`, method: 'POST', data: { ...body } });
}

export function myComplaints(
  q: { status?: ComplaintStatus; as?: 'customer' | 'electrician'; page?: number; limit?: number } = {},
): Promise<PageResult<Complaint>> {
  return requestPage<Complaint>({ url: `/api/complaints${query(q)}` });
}

/** A complaint with its history (`events`, oldest first). */
export function complaintDetail(id: number): Promise<Complaint> {
  return request<Complaint>({ url: `/api/complaints/${id}` });
}

export function addComplaintMessage(id: number, body: { content: string; images?: number[] }): Promise<Complaint> {
  return request<Complaint>({ url: `/api/complaints/${id}/messages`, method: 'POST', data: { ...body } });
}
