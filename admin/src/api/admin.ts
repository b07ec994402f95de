/** One typed function per admin endpoint the console uses; nothing else calls fetch. */
import { call, page, send } from './http';
import type {
  AdminInvoice,
  AdminWithdrawal,
  AuditLog,
  Candidate,
  CatalogItem,
  ChatMessage,
  Complaint,
  Conversation,
  Electrician,
  FaqArticle,
  FaqBody,
  LoginResult,
  Order,
  OrderDetail,
  PartsRequest,
  Payment,
  Reconciliation,
  Refund,
  Review,
  Settlements,
  Staff,
  StaffRole,
  StaffUser,
  Stats,
  StockBalance,
  StockMovement,
  UnansweredQuestion,
  Upload,
  Warehouse,
} from './types';

type Q = Record<string, string | number | boolean | undefined | null>;

export const api = {
  // --- session
  login: (username: string, password: string) =>
    call<LoginResult>('POST', '/api/admin/auth/login', { body: { username, password } }),
  logout: (refreshToken: string) => call<object>('POST', '/api/auth/logout', { body: { refreshToken } }),
  me: () => call<StaffUser>('GET', '/api/users/me'),

  // --- dashboard
  stats: (q: Q = {}) => call<Stats>('GET', '/api/admin/stats', { query: q }),

  // --- orders
  orders: (q: Q) => page<Order>('/api/admin/orders', q),
  order: (id: number) => call<OrderDetail>('GET', `/api/admin/orders/${id}`),
  orderMoney: (id: number) => call<{ payments: Payment[]; refunds: Refund[] }>('GET', `/api/admin/orders/${id}/payments`),
  candidates: (id: number) => call<Candidate[]>('GET', `/api/admin/orders/${id}/candidates`),
  assign: (id: number, electricianId: number) =>
    call<Order>('POST', `/api/admin/orders/${id}/assign`, { body: { electricianId } }),
  unassign: (id: number, reason: string) => call<Order>('POST', `/api/admin/orders/${id}/unassign`, { body: { reason } }),
  cancelOrder: (id: number, reason: string) => call<Order>('POST', `/api/admin/orders/${id}/cancel`, { body: { reason } }),
  refund: (id: number, amount: number, reason: string) =>
    call<{ refundNo: string }>('POST', `/api/admin/orders/${id}/refund`, { body: { amount, reason } }),

  // --- electricians
  electricians: (q: Q) => page<Electrician>('/api/admin/electricians', q),
  verify: (id: number, approved: boolean, note?: string) =>
    call<Electrician>('POST', `/api/admin/electricians/${id}/verify`, { body: { approved, ...(note ? { note } : {}) } }),

  // --- complaints
  complaints: (q: Q) => page<Complaint>('/api/admin/complaints', q),
  complaint: (id: number) => call<Complaint>('GET', `/api/admin/complaints/${id}`),
  reply: (id: number, content: string) => call<Complaint>('POST', `/api/admin/complaints/${id}/reply`, { body: { content } }),
  escalate: (id: number, reason: string) => call<Complaint>('POST', `/api/admin/complaints/${id}/escalate`, { body: { reason } }),
  resolve: (id: number, body: { outcome: string; refundAmount?: number; note: string }) =>
    call<Complaint>('POST', `/api/admin/complaints/${id}/resolve`, { body }),

  // --- reviews
  reviews: (q: Q) => page<Review>('/api/admin/reviews', q),
  hideReview: (id: number, reason: string) => call<Review>('POST', `/api/admin/reviews/${id}/hide`, { body: { reason } }),
  unhideReview: (id: number) => call<Review>('POST', `/api/admin/reviews/${id}/unhide`, { body: {} }),

  // --- customer service chat
  conversations: (q: Q) => page<Conversation>('/api/chat/conversations', q),
  messages: async (conversationId: number, before?: number) => {
    const res = await send('GET', `/api/chat/conversations/${conversationId}/messages`, { query: { limit: 50, before } });
    return (await res.json()) as { data: ChatMessage[]; nextCursor: number | null };
  },
  sendMessage: (conversationId: number, content: string) =>
    call<ChatMessage>('POST', `/api/chat/conversations/${conversationId}/messages`, {
      body: { type: 'text', content, clientId: `console-${Date.now()}-${Math.random().toString(36).slice(2, 8)}` },
    }),
  markRead: (conversationId: number, upToMessageId: number) =>
    call<object>('POST', `/api/chat/conversations/${conversationId}/read`, { body: { upToMessageId } }),

  // --- finance
  payments: (q: Q) => page<Payment>('/api/admin/payments', q),
  refunds: (q: Q) => page<Refund>('/api/admin/refunds', q),
  settlements: () => call<Settlements>('GET', '/api/admin/finance/settlements'),
  reconciliation: (from: string, to: string) =>
    call<Reconciliation>('GET', '/api/admin/finance/reconciliation', { query: { from, to } }),
  reconciliationCsv: async (from: string, to: string) =>
    (await send('GET', '/api/admin/finance/reconciliation', { query: { from, to, format: 'csv' } })).blob(),

  // --- staff and audit
  staff: (q: Q) => page<Staff>('/api/admin/staff', q),
  createStaff: (body: { username: string; password: string; staffRole: StaffRole; name?: string }) =>
    call<Staff>('POST', '/api/admin/staff', { body }),
  updateStaff: (id: number, body: { staffRole?: StaffRole; status?: 'active' | 'banned'; password?: string; name?: string }) =>
    call<Staff>('PATCH', `/api/admin/staff/${id}`, { body }),
  auditLogs: (q: Q) => page<AuditLog>('/api/admin/audit-logs', q),

  // --- price list, stock and parts requests
  catalogItems: (q: Q = {}) => call<CatalogItem[]>('GET', '/api/admin/catalog/items', { query: q }),
  createCatalogItem: (body: Omit<CatalogItem, 'id' | 'createdAt' | 'updatedAt'>) =>
    call<CatalogItem>('POST', '/api/admin/catalog/items', { body }),
  updateCatalogItem: (id: number, body: Partial<Omit<CatalogItem, 'id' | 'code' | 'createdAt' | 'updatedAt'>>) =>
    call<CatalogItem>('PATCH', `/api/admin/catalog/items/${id}`, { body }),
  warehouses: () => call<Warehouse[]>('GET', '/api/admin/warehouses'),
  createWarehouse: (body: { name: string; address?: string }) => call<Warehouse>('POST', '/api/admin/warehouses', { body }),
  stock: (q: Q = {}) => call<StockBalance[]>('GET', '/api/admin/stock', { query: q }),
  movements: (q: Q) => page<StockMovement>('/api/admin/stock/movements', q),
  moveStock: (body: { warehouseId: number; catalogItemId: number; type: 'in' | 'adjust'; quantity: number; note: string }) =>
    call<StockMovement>('POST', '/api/admin/stock/movements', { body }),
  partsRequests: (q: Q) => page<PartsRequest>('/api/admin/parts-requests', q),
  approvePartsRequest: (id: number) => call<PartsRequest>('POST', `/api/admin/parts-requests/${id}/approve`, { body: {} }),
  rejectPartsRequest: (id: number, reason: string) =>
    call<PartsRequest>('POST', `/api/admin/parts-requests/${id}/reject`, { body: { reason } }),
  issuePartsRequest: (id: number) => call<PartsRequest>('POST', `/api/admin/parts-requests/${id}/issue`, { body: {} }),

  // --- payouts, invoices, the knowledge base
  withdrawals: (q: Q) => page<AdminWithdrawal>('/api/admin/withdrawals', q),
  approveWithdrawal: (no: string) => call<AdminWithdrawal>('POST', `/api/admin/withdrawals/${no}/approve`, { body: {} }),
  rejectWithdrawal: (no: string, reason: string) =>
    call<AdminWithdrawal>('POST', `/api/admin/withdrawals/${no}/reject`, { body: { reason } }),
  invoices: (q: Q) => page<AdminInvoice>('/api/admin/invoices', q),
  issueInvoice: (id: number, body: { invoiceNo: string; fileUploadId: number }) =>
    call<AdminInvoice>('POST', `/api/admin/invoices/${id}/issue`, { body }),
  rejectInvoice: (id: number, reason: string) =>
    call<AdminInvoice>('POST', `/api/admin/invoices/${id}/reject`, { body: { reason } }),
  /** A file for a staff purpose (e.g. an invoice's PDF), as multipart. */
  upload: (file: File, purpose: string) => {
    const form = new FormData();
    form.append('purpose', purpose);
    form.append('file', file);
    return call<Upload>('POST', '/api/uploads', { body: form });
  },
  claimConversation: (id: number) => call<Conversation>('POST', `/api/admin/chat/conversations/${id}/claim`, { body: {} }),
  releaseConversation: (id: number) => call<Conversation>('POST', `/api/admin/chat/conversations/${id}/release`, { body: {} }),
  faqArticles: () => call<FaqArticle[]>('GET', '/api/admin/faq'),
  createFaq: (body: FaqBody) => call<FaqArticle>('POST', '/api/admin/faq', { body }),
  updateFaq: (id: number, body: Partial<FaqBody>) => call<FaqArticle>('PATCH', `/api/admin/faq/${id}`, { body }),
  deleteFaq: (id: number) => call<object>('DELETE', `/api/admin/faq/${id}`),
  faqUnanswered: (q: Q = {}) => page<UnansweredQuestion>('/api/admin/faq/unanswered', q),
  dismissUnanswered: (id: number) => call<object>('DELETE', `/api/admin/faq/unanswered/${id}`),
};
