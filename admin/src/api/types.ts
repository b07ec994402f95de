/**
 * The shapes the console reads from the admin API. Money is fen. Each is taken from ./schema.ts, which
 * `npm run openapi` generates from the API's route table (docs/openapi.json); the few the document does
 * not describe yet are written out below, marked so.
 */
import type { StaffRole as Role } from '@shared/auth';
import type { Permission } from '@shared/permissions';
import type { components } from './schema';

type Schemas = components['schemas'];

export type StaffRole = Role;
export type { Permission };

export type Pagination = Schemas['Pagination'];
export interface Paged<T> {
  items: T[];
  pagination: Pagination;
}

/** The signed-in user (GET /api/users/me; the `user` of a login). */
export type StaffUser = Schemas['User'];
export type LoginResult = Schemas['AdminLoginResult'];
export type ImageRef = Pick<Schemas['FileRef'], 'id' | 'url'>;

export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];
export type OrderEvent = Schemas['OrderEvent'];
export type Candidate = Schemas['AssignCandidate'];
export type Payment = Schemas['AdminPayment'];
export type Refund = Schemas['AdminRefund'];
export type Settlements = Schemas['Settlements'];
export type Electrician = Schemas['AdminElectrician'];
export type Complaint = Schemas['Complaint'];
export type ComplaintEvent = NonNullable<Complaint['events']>[number];
export type Review = Schemas['Review'];
export type ChatMessage = Schemas['ChatMessage'];
export type Conversation = Schemas['Conversation'];
export type Staff = Schemas['Staff'];
export type AuditLog = Schemas['AuditLog'];
export type CatalogItem = Schemas['AdminCatalogItem'];
export type CatalogCategory = CatalogItem['category'];
export type Warehouse = Schemas['Warehouse'];
export type StockBalance = Schemas['StockBalance'];
export type StockMovement = Schemas['StockMovement'];
export type PartsRequest = Schemas['PartsRequest'];
export type PartsRequestStatus = PartsRequest['status'];
export type AdminInvoice = Schemas['AdminInvoice'];
export type InvoiceStatus = AdminInvoice['status'];
export type Upload = Schemas['UploadResult'];
export type AdminWithdrawal = Schemas['AdminWithdrawalRow'];
export type WithdrawalStatus = AdminWithdrawal['status'];
export type FaqArticle = Schemas['AdminFaqArticle'];
export type FaqCategory = FaqArticle['category'];
export type FaqBody = Pick<FaqArticle, 'category' | 'question' | 'answer' | 'keywords'> & { active?: boolean };
export type UnansweredQuestion = Schemas['FaqUnanswered'];
/** `pending`: attempted, outcome unknown (still running, or the server stopped during it). */
export type AuditOutcome = AuditLog['outcome'];

// --- Not described by the document yet (their routes declare no response schema): written out here.

/** GET /api/admin/orders/{id}. */
export interface Quote {
  version: number;
  /** Lines from the price list carry its item, unit and standard price and a flag; free text is `custom`; old quotes have none. */
  items: {
    name: string;
    quantity: number;
    unitPrice: number;
    catalogItemId?: number;
    unit?: string;
    standardPrice?: number;
    priceFlag?: 'standard' | 'above_standard' | 'custom';
  }[];
  materialsFee: number;
  labourFee: number;
  amount: number;
  note: string | null;
  status: string;
  reason: string | null;
  createdAt: string;
}
export type OrderDetail = Order & { events: OrderEvent[]; quotes: Quote[] };

/** GET /api/admin/stats. */
export interface StatsWindow {
  from: string;
  to: string;
  created: number;
  byStatus: Partial<Record<OrderStatus, number>>;
  gmv: number;
  avgMinutesToAccept: number | null;
  completionRate: number | null;
  cancellationRate: number | null;
}
export interface Stats {
  today: StatsWindow;
  last7Days: StatsWindow;
  range?: StatsWindow;
}

/** GET /api/admin/finance/reconciliation (JSON). */
export interface ReconciliationDay {
  date: string;
  payments: number;
  paid: number;
  platformFee: number;
  electricianAmount: number;
  refunds: number;
  refunded: number;
  netPlatform: number;
  netElectrician: number;
  balanced: boolean;
}
/** Withdrawals paid out by merchant transfer (提现) in the range, by outcome. */
export interface TransferTotal {
  count: number;
  amount: number;
}
export interface Reconciliation {
  from: string;
  to: string;
  days: ReconciliationDay[];
  totals: Omit<ReconciliationDay, 'date'>;
  problems: string[];
  balanced: boolean;
  transfers: { succeeded: TransferTotal; pending: TransferTotal; failed: TransferTotal };
}

/** The socket's `order:status` event (not a REST answer). */
export interface OrderStatusUpdate {
  orderId: number;
  status: OrderStatus;
  message: string;
  order: Order;
}
