import type { ActorRole } from '../../shared/domain-events';
/**
 * The order state machine of SPEC 3.2, as data. Services never decide transitions themselves: they
 * ask `transitionOf(action, role, from)` and perform the conditional update it allows.
 */
export const ORDER_STATUSES = [
  'pending',
  'accepted',
  'arrived',
  'quoted',
  'in_progress',
  'completed',
  'cancelled',
  'expired',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses in which an order occupies one of its electrician's MAX_ACTIVE_ORDERS slots. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ['accepted', 'arrived', 'quoted', 'in_progress'];

export const ORDER_ACTIONS = [
  'grab',
  'dispatch_accept',
  'assign',
  'unassign',
  'release',
  'arrive',
  'quote',
  'quote_reject',
  'quote_accept',
  'complete',
  'cancel',
  'expire',
  'rework',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** Who acts on an order. `electrician` means the assigned one, except for grab and dispatch_accept. */
/** Who takes a step (shared with the domain events' Actor). */
export type { ActorRole };

interface Rule {
  to: OrderStatus;
  from: Partial<Record<ActorRole, readonly OrderStatus[]>>;
}

const AFTER_ACCEPT = ['accepted', 'arrived'] as const;

export const TRANSITIONS: Record<OrderAction, Rule> = {
  grab: { to: 'accepted', from: { electrician: ['pending'] } },
  dispatch_accept: { to: 'accepted', from: { electrician: ['pending'] } },
  assign: { to: 'accepted', from: { admin: ['pending'] } },
  unassign: { to: 'pending', from: { admin: AFTER_ACCEPT } },
  release: { to: 'pending', from: { electrician: AFTER_ACCEPT } },
  arrive: { to: 'arrived', from: { electrician: ['accepted'] } },
  quote: { to: 'quoted', from: { electrician: ['arrived'] } },
  quote_reject: { to: 'arrived', from: { customer: ['quoted'] } },
  quote_accept: { to: 'in_progress', from: { customer: ['quoted'] } },
  complete: { to: 'completed', from: { electrician: ['in_progress'] } },
  cancel: {
    to: 'cancelled',
    from: {
      customer: ['pending', 'accepted', 'arrived', 'quoted'],
      admin: ['pending', 'accepted', 'arrived', 'quoted', 'in_progress'],
    },
  },
  expire: { to: 'expired', from: { system: ['pending'] } },
  // A complaint resolved with a free repair sends the order back to its electrician (SPEC 3.7).
  rework: { to: 'in_progress', from: { admin: ['completed'], system: ['completed'] } },
};

export type Verdict = { ok: true; to: OrderStatus } | { ok: false; reason: 'role' | 'state' };

/** Whether `role` may perform `action` on an order in status `from`. */
export function transitionOf(action: OrderAction, role: ActorRole, from: OrderStatus): Verdict {
  const rule = TRANSITIONS[action];
  const allowed = rule.from[role];
  if (!allowed) return { ok: false, reason: 'role' };
  if (!allowed.includes(from)) return { ok: false, reason: 'state' };
  return { ok: true, to: rule.to };
}

/** Cancelling after the electrician has arrived makes the visit fee due, and nothing more. */
export const VISIT_FEE_DUE_FROM: readonly OrderStatus[] = ['arrived', 'quoted', 'in_progress'];

/** The domain event each action publishes. */
export const EVENT_OF = {
  grab: 'order.accepted',
  dispatch_accept: 'order.accepted',
  assign: 'order.accepted',
  unassign: 'order.released',
  release: 'order.released',
  arrive: 'order.arrived',
  quote: 'order.quoted',
  quote_reject: 'order.quote_rejected',
  quote_accept: 'order.quote_accepted',
  complete: 'order.completed',
  cancel: 'order.cancelled',
  expire: 'order.expired',
  rework: 'order.reworked',
} as const satisfies Record<OrderAction, string>;

export const STATUS_TEXT: Record<OrderStatus, string> = {
  pending: '待接单',
  accepted: '已接单',
  arrived: '已上门',
  quoted: '待确认报价',
  in_progress: '维修中',
  completed: '已完成',
  cancelled: '已取消',
  expired: '已过期',
};
