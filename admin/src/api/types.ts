/** The shapes the console reads from the admin API (see /api/openapi.json). Money is fen. */
import type { StaffRole as Role } from '@shared/auth';
import type { Permission } from '@shared/permissions';

export type StaffRole = Role;
export type { Permission };

export interface Pagination {
  page: number;
  limit: number;
  total: number;
}
export interface Paged<T> {
  items: T[];
  pagination: Pagination;
}

export interface StaffUser {
  id: number;
  nickname: string | null;
  name: string | null;
  userType: 'user' | 'electrician' | 'admin';
  staffRole: StaffRole | null;
  status: string;
}

export interface LoginResult {
  token: string;
  refreshToken: string;
  user: StaffUser;
  permissions: Permission[];
}

export interface ImageRef {
  id: number;
  url: string;
}

export type OrderStatus = 'pending' | 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'cancelled' | 'expired';

export interface Order {
  id: number;
  orderNo: string;
  title: string;
  description: string;
  faultType: string;
  priority: string;
  status: OrderStatus;
  region: string;
  address: string;
  contactName: string;
  contactPhone: string;
  images: ImageRef[];
  repairImages: ImageRef[];
  repairContent: string | null;
  electricianId: number | null;
  electrician: { id: number; name: string; phone: string | null; rating: number } | null;
  estimatedAmount: number;
  quotedAmount: number | null;
  finalAmount: number | null;
  amountDue: number;
  paymentStatus: 'unpaid' | 'paid' | 'refunded' | 'partial_refund';
  cancelReason: string | null;
  arriveDueAt: string | null;
  expiresAt: string | null;
  createdAt: string;
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

export interface Quote {
  version: number;
  items: { name: string; quantity: number; unitPrice: number }[];
  materialsFee: number;
  labourFee: number;
  amount: number;
  note: string | null;
  status: string;
  reason: string | null;
  createdAt: string;
}

export interface OrderDetail extends Order {
  events: OrderEvent[];
  quotes: Quote[];
}

export interface Candidate {
  electricianId: number;
  name: string;
  rating: number;
  workStatus: string;
  activeOrders: number;
  completedOrders: number;
  distanceKm: number;
  full: boolean;
}

export interface Payment {
  id: number;
  paymentNo: string;
  orderId: number;
  orderNo: string;
  amount: number;
  platformFee: number;
  electricianAmount: number;
  status: string;
  refundAmount: number;
  paidAt: string | null;
  settlementStatus: string;
  settleAfter: string | null;
  settledAt: string | null;
  createdAt: string;
}

export interface Refund {
  id: number;
  outRefundNo: string;
  paymentNo: string;
  orderId: number;
  orderNo: string;
  amount: number;
  reason: string | null;
  status: string;
  createdAt: string;
}

export interface Electrician {
  id: number;
  userId: number;
  realName: string;
  idCard: string;
  certificateNumber: string;
  certificateType: string;
  certificateImages: ImageRef[];
  experienceYears: number;
  specialties: string[];
  serviceAreas: string[];
  workStatus: string;
  verificationStatus: 'pending' | 'approved' | 'rejected';
  verificationNote: string | null;
  rating: number;
  activeOrders: number;
  completedOrders: number;
  createdAt: string;
  user: { id: number; nickname: string | null; phone: string | null };
}

export interface ComplaintEvent {
  id: number;
  action: string;
  toStatus: string;
  level: string;
  actorRole: string;
  content: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export interface Complaint {
  id: number;
  orderId: number;
  orderNo: string;
  type: string;
  content: string;
  images: ImageRef[];
  level: 'normal' | 'serious' | 'critical';
  status: 'open' | 'processing' | 'resolved' | 'rejected';
  outcome: string | null;
  refundAmount: number | null;
  resolutionNote: string | null;
  createdAt: string;
  events?: ComplaintEvent[];
}

export interface Review {
  id: number;
  orderId: number;
  electricianId: number;
  reviewer: { nickname: string };
  overallRating: number;
  serviceRating: number;
  qualityRating: number;
  speedRating: number;
  content: string | null;
  tags: string[];
  images: ImageRef[];
  reportCount: number;
  helpfulCount: number;
  status: 'normal' | 'hidden';
  hiddenReason: string | null;
  createdAt: string;
}

export interface ChatMessage {
  id: number;
  conversationId: number;
  senderId: number | null;
  type: 'text' | 'image' | 'system' | 'order-card';
  content: string;
  image: ImageRef | null;
  createdAt: string;
}

export interface Conversation {
  id: number;
  kind: 'order' | 'service';
  orderId: number | null;
  customerId: number;
  lastMessageAt: string | null;
  lastMessage: ChatMessage | null;
  unreadCount: number;
}

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
export interface Reconciliation {
  from: string;
  to: string;
  days: ReconciliationDay[];
  totals: Omit<ReconciliationDay, 'date'>;
  problems: string[];
  balanced: boolean;
}

export interface Settlements {
  pending: { count: number; electricianAmount: number };
  settled: { count: number; electricianAmount: number };
  dueNow: number;
}

export interface Staff {
  id: number;
  username: string | null;
  name: string | null;
  staffRole: StaffRole | null;
  status: string;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  wechat: boolean;
}

/** `pending`: attempted, outcome unknown (still running, or the server stopped during it). */
export type AuditOutcome = 'pending' | 'succeeded' | 'failed';

export interface AuditLog {
  id: number;
  actorId: number | null;
  actorName: string | null;
  actorRole: StaffRole | null;
  action: string;
  method: string | null;
  route: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  /** The HTTP status of the answer; null while pending. */
  statusCode: number | null;
  /** The error code of a failure (REFUND_EXCEEDS_PAID, VALIDATION_FAILED, …). */
  errorCode: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface OrderStatusUpdate {
  orderId: number;
  status: OrderStatus;
  message: string;
  order: Order;
}
