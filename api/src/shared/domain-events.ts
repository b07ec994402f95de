import type { StaffRole } from './auth';
import type { DurableBus } from './event-outbox';

/** Who took a step: a user in one of their roles, or the system (a job). */
export type ActorRole = 'customer' | 'electrician' | 'admin' | 'system';

export interface Actor {
  id: number | null;
  role: ActorRole;
}

export interface ElectricianVerified {
  name: 'electrician.verified';
  electricianId: number;
  userId: number;
  approved: boolean;
  note: string | null;
  actor: Actor;
  /** When the decision was made: with electricianId it names this decision (an applicant may reapply). */
  at: Date;
}

/** A customer reviewed a completed, paid order (published after commit). */
export interface ReviewCreated {
  name: 'review.created';
  reviewId: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  electricianId: number;
  electricianUserId: number;
  overallRating: number;
  at: Date;
}

/** The electrician replied to a review of theirs. */
export interface ReviewReplied {
  name: 'review.replied';
  reviewId: number;
  orderId: number;
  customerId: number;
  electricianUserId: number;
  at: Date;
}

/** Staff hid a review; it no longer counts towards the rating. */
export interface ReviewHidden {
  name: 'review.hidden';
  reviewId: number;
  orderId: number;
  customerId: number;
  electricianUserId: number;
  reason: string;
  actor: Actor;
  at: Date;
}

/**
 * A step in a complaint's history (SPEC 3.7), published after commit: opened or added to by the
 * customer, replied to, escalated or resolved by staff. Notified to everyone concerned but the one
 * who took the step: the customer, the order's electrician and (for opened, messaged and escalated)
 * the staff who handle complaints.
 */
export interface ComplaintChanged {
  name: 'complaint.opened' | 'complaint.messaged' | 'complaint.replied' | 'complaint.escalated' | 'complaint.resolved';
  complaintId: number;
  /** The complaint_events row this step wrote: notifications use it to stay exactly-once. */
  eventId: number;
  orderId: number;
  orderNo: string;
  customerId: number;
  /** The user id of the order's electrician, if it had one. */
  electricianUserId: number | null;
  level: 'normal' | 'serious' | 'critical';
  status: 'open' | 'processing' | 'resolved' | 'rejected';
  outcome: 'rework' | 'refund' | 'compensate' | 'reject' | null;
  refundAmount: number | null;
  /** The complaint, the customer's addition, the reply, the escalation reason or the resolution note. */
  content: string | null;
  actor: Actor;
  at: Date;
}

/**
 * A session (or every session of a user, when `sessionId` is null) was ended: logout, ban, a
 * stolen refresh token presented again, a password reset by staff, the account deleted. Published after commit;
 * realtime disconnects the sockets that were opened with it, so nothing more is pushed to them.
 */
export interface SessionEnded {
  name: 'session.ended';
  userId: number;
  sessionId: string | null;
  reason: 'logout' | 'banned' | 'reuse' | 'password' | 'deleted';
}

/**
 * A staff member's role was changed (published after commit): realtime moves their open sockets
 * to the permission rooms of the role the database holds when it is delivered.
 */
export interface StaffRoleChanged {
  name: 'staff.role_changed';
  userId: number;
  staffRole: StaffRole;
}

/**
 * Every domain event, by a name for its type. shared/ knows the events that carry no module's
 * types; a module adds its own from its `<m>.events.ts` (exported from its index.ts) by augmenting
 * this interface (`declare module '../../shared/domain-events'`), so shared/ imports no module.
 */
export interface DomainEventMap {
  SessionEnded: SessionEnded;
  StaffRoleChanged: StaffRoleChanged;
  ElectricianVerified: ElectricianVerified;
  ReviewCreated: ReviewCreated;
  ReviewReplied: ReviewReplied;
  ReviewHidden: ReviewHidden;
  ComplaintChanged: ComplaintChanged;
}

export type DomainEvent = DomainEventMap[keyof DomainEventMap];
/** Domain events are staged in the transaction that makes them true (see event-outbox.ts). */
export type DomainBus = DurableBus<DomainEvent>;
