import type { StaffRole } from '../shared/auth';

/**
 * The typed Socket.IO contract of API.md: the server, the tests and the mini-program's client
 * all speak these names and payloads.
 */

/** Every client → server event is answered through this envelope. */
export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
export type AckCallback<T = unknown> = (response: Ack<T>) => void;

/** An order as a push carries it: the full view or the hall projection, as the receiver may see it. */
export type OrderPayload = Record<string, unknown> & { id: number; status: string };

export interface OrderStatusUpdate {
  orderId: number;
  status: string;
  /** Chinese, for a toast. */
  message: string;
  order: OrderPayload;
}

export interface NewOrderPush {
  orderId: number;
  /** The hall projection (masked contact, no address) with `distanceKm`. */
  orderInfo: OrderPayload;
}

export interface DispatchOfferPush {
  orderId: number;
  orderInfo: OrderPayload;
  expiresAt: string;
}

export interface ChatImage {
  id: number;
  url: string;
}

export interface ChatMessage {
  id: number;
  conversationId: number;
  senderId: number | null;
  type: 'text' | 'image' | 'system' | 'order-card';
  content: string;
  /** Image messages: the signed, expiring URL of the upload named by `content`. */
  image: ChatImage | null;
  clientId: string | null;
  createdAt: string;
  /** Who wrote it as what: a participant's role (`admin`: a customer-service agent), the knowledge-base `bot`, or `system`. */
  senderRole?: 'customer' | 'electrician' | 'admin' | 'bot' | 'system';
  /** A bot answer: the articles it quotes and whether it suggests a person; a complaint's system line: the complaint. */
  meta?: { faqIds?: number[]; suggestHuman?: boolean; complaintId?: number } | null;
}

export interface MessageRead {
  conversationId: number;
  userId: number;
  upToMessageId: number;
}

export interface TypingPush {
  conversationId: number;
  userId: number;
}

export interface NotificationPush {
  id: number;
  type: string;
  title: string;
  content: string;
  unreadCount: number;
  [key: string]: unknown;
}

/** The assigned electrician on the way (`accepted` only), to the order's customer. */
export interface ElectricianLocationPush {
  orderId: number;
  latitude: number;
  longitude: number;
  /** Straight-line distance to the order's address. */
  distanceKm: number;
  /** A rough estimate from the distance (ELECTRICIAN_TRAVEL_KMH), at least 1. */
  etaMinutes: number;
  at: string;
}

export interface ServerToClientEvents {
  'order-status-update': (payload: OrderStatusUpdate) => void;
  'new-order': (payload: NewOrderPush) => void;
  'order-taken': (payload: { orderId: number }) => void;
  'dispatch-offer': (payload: DispatchOfferPush) => void;
  'new-message': (payload: ChatMessage) => void;
  'message-read': (payload: MessageRead) => void;
  typing: (payload: TypingPush) => void;
  notification: (payload: NotificationPush) => void;
  'payment-success': (payload: { orderId: number; paymentNo: string }) => void;
  'electrician-location': (payload: ElectricianLocationPush) => void;
  heartbeat_ack: (payload: { at: string }) => void;
}

export interface UpdateLocationPayload {
  latitude: number;
  longitude: number;
}

export interface SendMessagePayload {
  conversationId?: number;
  orderId?: number;
  type: 'text' | 'image';
  content: string;
  clientId?: string;
}

export interface ClientToServerEvents {
  update_location: (payload: UpdateLocationPayload, ack: AckCallback<{ stored: boolean }>) => void;
  send_message: (payload: SendMessagePayload, ack: AckCallback<ChatMessage>) => void;
  typing: (payload: { conversationId: number }, ack: AckCallback<Record<string, never>>) => void;
  read: (payload: { conversationId: number; upToMessageId: number }, ack: AckCallback<MessageRead>) => void;
  heartbeat: (payload: Record<string, never>, ack: AckCallback<{ at: string }>) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: number;
  role: 'user' | 'electrician' | 'admin';
  /** Staff: the role at the handshake, which chose the permission rooms joined (see staff-rooms.ts). */
  staffRole: StaffRole | null;
  /** The session (refresh-token family) the socket's token belongs to: ending it ends the socket. */
  sessionId: string;
}

export const userRoom = (id: number) => `user:${id}`;
export const pushedRoom = (orderId: number) => `pushed:${orderId}`;
