import { can, ROLE_PERMISSIONS, type Permission } from '../../shared/permissions';
import type { StaffRole } from '../../shared/auth';
import type {
  ComplaintChanged,
  DomainBus,
  ElectricianVerified,
  ReviewCreated,
  ReviewHidden,
  ReviewReplied,
} from '../../shared/domain-events';
import { boundingBox, distanceKm, withinKm } from '../../shared/geo';
import { maskPhone } from '../../shared/privacy';
import type { PushCandidates } from '../electricians';
import type { StaffDirectory } from '../users';
import type { DispatchOffered } from '../dispatch';
import { STATUS_TEXT, type ArrivalOverdue, type OrderChanged, type OrderPaid, type OrderReader } from '../orders';
import { formatYuan } from '../payments';
import type { MessagesRepository } from './messages.repository';
import type { MessagesService, NotificationDraft, Written } from './messages.service';

export interface NotificationSubscriberDeps {
  messages: MessagesService;
  repository: MessagesRepository;
  /** Staff by role, from the users module: who hears of what needs staff. */
  staff: StaffDirectory;
  electricians: PushCandidates;
  orders: OrderReader;
  /** Who hears of a new order: the hall's radius (the `new-order` push's candidates). */
  dispatchRadiusKm: number;
}

const LEVEL_TEXT = { normal: '一般', serious: '严重', critical: '紧急' } as const;
const OUTCOME_TEXT = { rework: '安排师傅返工', refund: '退款', compensate: '补偿', reject: '驳回投诉' } as const;

/** Time as people here read it: China Standard Time, `2026-11-22 10:30`. */
export function cstTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** User-written text quoted in a notification: mobile numbers masked, length bounded. */
function quote(text: string | null | undefined, max = 60): string {
  const masked = (text ?? '').replace(/1[3-9]\d{9}/g, (phone) => maskPhone(phone)!).trim();
  const chars = [...masked];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : masked;
}

const staffRolesWith = (permission: Permission) =>
  (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((role) => can(role, permission));

/**
 * The notifications of SPEC 3.6, from the domain bus: one per party concerned per event, keyed
 * by (event, recipient) so a repeated delivery adds nothing. Titles and contents are Chinese and
 * never carry a phone number or an address.
 */
export function subscribeNotifications(bus: DomainBus, d: NotificationSubscriberDeps): () => void {
  const electrician = async (id: number | null) => (id === null ? undefined : d.electricians.findById(id));
  const master = (realName: string | undefined) => (realName ? `${[...realName][0]}师傅` : '师傅');
  const staff = (permission: Permission) => d.staff.staffIdsWithRole(staffRolesWith(permission));

  async function orderChanged(e: OrderChanged): Promise<NotificationDraft[]> {
    const o = e.order;
    const base = { type: 'order' as const, orderId: o.id, sourceKey: `order.event:${e.eventId}` };
    const no = o.orderNo;
    const vars = { orderNo: no, title: o.title, status: STATUS_TEXT[e.to], time: cstTime(e.at) };
    // As the transaction read them (an outbox row from before events carried them reads them here).
    const current = e.holders ? (e.holders.current ?? undefined) : await electrician(o.electricianId);
    const previous =
      e.previousElectricianId === o.electricianId
        ? undefined
        : e.holders
          ? (e.holders.previous ?? undefined)
          : await electrician(e.previousElectricianId);
    const toCustomer = (title: string, content: string, subscribe?: NotificationDraft['subscribe']) =>
      e.actor.id === o.userId ? [] : [{ ...base, userId: o.userId, title, content, subscribe }];
    const toElectrician = (who: typeof current, title: string, content: string, subscribe?: NotificationDraft['subscribe']) =>
      who && who.userId !== e.actor.id ? [{ ...base, userId: who.userId, title, content, subscribe }] : [];
    const reason = quote(typeof e.details.reason === 'string' ? e.details.reason : o.cancelReason);

    switch (e.name) {
      case 'order.created':
        return [{ ...base, userId: o.userId, title: '工单已提交', content: `工单 ${no} 已提交，正在为你寻找附近的师傅。` }];
      case 'order.accepted':
        return [
          ...toCustomer('师傅已接单', `${master(current?.realName)}已接下工单 ${no}，将尽快与你联系。`, {
            key: 'orderAccepted',
            vars: { ...vars, name: master(current?.realName) },
          }),
          ...toElectrician(current, '平台为你指派了工单', `工单 ${no}（${o.region}）已指派给你，请尽快联系客户。`),
        ];
      case 'order.arrived':
        return toCustomer('师傅已上门', `${master(current?.realName)}已到达工单 ${no} 的服务地址。`, {
          key: 'electricianArrived',
          vars: { ...vars, name: master(current?.realName) },
        });
      case 'order.quoted':
        return toCustomer('报价待确认', `工单 ${no} 报价 ${formatYuan(o.quotedAmount ?? 0)}，请确认后开始维修。`, {
          key: 'quoteReady',
          vars: { ...vars, amount: formatYuan(o.quotedAmount ?? 0) },
        });
      case 'order.quote_rejected':
        return toElectrician(current, '报价被拒绝', `客户拒绝了工单 ${no} 的报价${reason ? `：${reason}` : ''}，可重新报价。`);
      case 'order.quote_accepted':
        return toElectrician(
          current,
          '报价已确认',
          `客户已确认工单 ${no} 的报价 ${formatYuan(o.finalAmount ?? 0)}，请开始维修。`,
        );
      case 'order.completed':
        return toCustomer('维修已完成', `工单 ${no} 已完成，应付 ${formatYuan(o.finalAmount ?? 0)}，请及时支付并评价。`, {
          key: 'orderCompleted',
          vars: { ...vars, amount: formatYuan(o.finalAmount ?? 0) },
        });
      case 'order.cancelled': {
        const held = current ?? previous;
        const subscribe = { key: 'orderCancelled' as const, vars: { ...vars, note: reason } };
        return [
          ...toCustomer('工单已取消', `工单 ${no} 已被平台取消${reason ? `：${reason}` : '。'}`, subscribe),
          ...toElectrician(held, '工单已取消', `工单 ${no} 已取消${reason ? `：${reason}` : '。'}`, subscribe),
        ];
      }
      case 'order.expired':
        return [
          {
            ...base,
            userId: o.userId,
            title: '工单已过期',
            content: `工单 ${no} 长时间无人接单，已自动关闭，你可以重新下单。`,
            subscribe: { key: 'orderCancelled', vars: { ...vars, note: '无人接单，已自动关闭' } },
          },
        ];
      case 'order.released':
        return [
          ...toCustomer('工单重新派单中', `原师傅无法继续服务，工单 ${no} 已重新进入接单大厅。`),
          ...toElectrician(previous, '工单已被收回', `工单 ${no} 已由平台收回${reason ? `：${reason}` : '。'}`),
        ];
      default:
        // Further steps (such as rework after a complaint) tell both parties the new status.
        return [
          ...toCustomer('工单状态更新', `工单 ${no} ${STATUS_TEXT[o.status]}。`),
          ...toElectrician(current, '工单状态更新', `工单 ${no} ${STATUS_TEXT[o.status]}。`),
        ];
    }
  }

  async function dispatchOffered(e: DispatchOffered): Promise<NotificationDraft[]> {
    const o = e.order;
    return [
      {
        userId: e.electricianUserId,
        type: 'order',
        orderId: o.id,
        title: '新的派单',
        content: `${o.region}的工单 ${o.orderNo}（预估 ${formatYuan(o.estimatedAmount)}）派给了你，请在 ${cstTime(e.expiresAt)} 前接单。`,
        sourceKey: `dispatch.offered:${e.offerId}`,
        subscribe: {
          key: 'dispatchOffer',
          vars: {
            orderNo: o.orderNo,
            title: o.title,
            amount: formatYuan(o.estimatedAmount),
            note: o.region,
            time: cstTime(e.expiresAt),
          },
        },
      },
    ];
  }

  /**
   * A new (or released) order: a subscribe message to the electricians its `new-order` push is for
   * (approved, available, inside the radius, willing at its amount), those holding a grant only —
   * with the app closed they get no push. Nothing is looked up unless the template is configured.
   */
  async function newOrderNearby(e: OrderChanged): Promise<void> {
    if (!d.messages.templated('newOrder')) return;
    const o = e.order;
    const radius = d.dispatchRadiusKm;
    const center = { latitude: o.latitude, longitude: o.longitude };
    const candidates = await d.electricians.pushCandidates(boundingBox(center, radius), o.estimatedAmount, o.userId);
    const near = candidates.filter((x) => withinKm(distanceKm(center, x), radius)).map((x) => x.userId);
    await d.messages.subscribeOnly(
      near,
      {
        key: 'newOrder',
        orderId: o.id,
        vars: { orderNo: o.orderNo, title: o.title, amount: formatYuan(o.estimatedAmount), note: o.region, time: cstTime(e.at) },
      },
      `order.new:${e.eventId}`,
    );
  }

  async function arrivalOverdue(e: ArrivalOverdue): Promise<NotificationDraft[]> {
    const o = e.order;
    const key = `order.arrival_overdue:${o.id}:${o.slaAlertedAt?.getTime() ?? 0}`;
    return [
      {
        userId: o.userId,
        type: 'order',
        orderId: o.id,
        title: '师傅上门延迟',
        content: `工单 ${o.orderNo} 的师傅尚未按时上门，客服已介入跟进。`,
        sourceKey: key,
      },
      ...(await staff('orders.assign')).map((userId) => ({
        userId,
        type: 'system' as const,
        orderId: o.id,
        title: '上门超时',
        content: `工单 ${o.orderNo} 已超过约定时间仍未上门，请跟进或改派。`,
        sourceKey: key,
      })),
    ];
  }

  async function orderPaid(e: OrderPaid): Promise<NotificationDraft[]> {
    const o = e.order;
    const amount = formatYuan(e.amount);
    const paidBy = await electrician(o.electricianId);
    const key = `order.paid:${e.paymentNo}`;
    return [
      {
        userId: o.userId,
        type: 'order',
        orderId: o.id,
        title: '支付成功',
        content: `工单 ${o.orderNo} 已支付 ${amount}，期待你的评价。`,
        sourceKey: key,
        subscribe: { key: 'paymentSuccess', vars: { orderNo: o.orderNo, title: o.title, amount, time: cstTime(e.at) } },
      },
      ...(paidBy
        ? [
            {
              userId: paidBy.userId,
              type: 'order' as const,
              orderId: o.id,
              title: '客户已付款',
              content: `工单 ${o.orderNo} 客户已支付 ${amount}，结算后计入你的收入。`,
              sourceKey: key,
            },
          ]
        : []),
    ];
  }

  async function verified(e: ElectricianVerified): Promise<NotificationDraft[]> {
    const note = quote(e.note);
    return [
      {
        userId: e.userId,
        type: 'system',
        orderId: null,
        title: e.approved ? '电工认证已通过' : '电工认证未通过',
        content: e.approved
          ? '恭喜，你的电工认证已通过，上线后即可在接单大厅接单。'
          : `你的电工认证未通过${note ? `：${note}` : ''}，修改资料后可重新提交。`,
        sourceKey: `electrician.verified:${e.electricianId}:${e.at.getTime()}`,
        subscribe: {
          key: 'verificationResult',
          vars: {
            status: e.approved ? '已通过' : '未通过',
            note: note || (e.approved ? '可以开始接单' : '-'),
            time: cstTime(e.at),
          },
        },
      },
    ];
  }

  const orderNoOf = async (orderId: number) => (await d.orders.findById(orderId))?.orderNo ?? '';

  async function review(e: ReviewCreated | ReviewReplied | ReviewHidden): Promise<NotificationDraft[]> {
    const base = { type: 'order' as const, orderId: e.orderId, sourceKey: `${e.name}:${e.reviewId}` };
    const no = 'orderNo' in e ? e.orderNo : await orderNoOf(e.orderId);
    switch (e.name) {
      case 'review.created':
        return [
          {
            ...base,
            userId: e.electricianUserId,
            title: '收到新评价',
            content: `工单 ${no} 的客户给了你 ${e.overallRating} 分评价。`,
          },
        ];
      case 'review.replied':
        return [{ ...base, userId: e.customerId, title: '师傅回复了你的评价', content: `师傅回复了你对工单 ${no} 的评价。` }];
      case 'review.hidden':
        return [
          {
            ...base,
            userId: e.electricianUserId,
            title: '评价已被隐藏',
            content: `工单 ${no} 的一条评价已被平台隐藏${quote(e.reason) ? `：${quote(e.reason)}` : '。'}`,
          },
        ];
    }
  }

  async function complaint(e: ComplaintChanged): Promise<NotificationDraft[]> {
    const base = { type: 'complaint' as const, orderId: e.orderId, sourceKey: `${e.name}:${e.eventId}` };
    const no = e.orderNo;
    const text = quote(e.content);
    const step = {
      'complaint.opened': {
        customer: ['投诉已提交', `你对工单 ${no} 的投诉已提交，客服会尽快处理。`],
        electrician: ['收到客户投诉', `工单 ${no} 的客户发起了投诉，客服会与你核实情况。`],
        staff: ['新投诉待处理', `工单 ${no} 收到一条新投诉，请及时处理。`],
      },
      'complaint.messaged': {
        customer: null,
        electrician: ['客户补充了投诉说明', `工单 ${no} 的客户补充了投诉说明，客服会与你核实情况。`],
        staff: ['投诉有新的补充说明', `工单 ${no} 的客户补充了投诉说明${text ? `：${text}` : '。'}`],
      },
      'complaint.replied': {
        customer: ['客服回复了你的投诉', `工单 ${no} 的投诉有新回复${text ? `：${text}` : '。'}`],
        electrician: ['投诉处理进展', `工单 ${no} 的投诉有新的处理进展。`],
        staff: null,
      },
      'complaint.escalated': {
        customer: ['投诉已升级处理', `工单 ${no} 的投诉已升级为${LEVEL_TEXT[e.level]}，将优先处理。`],
        electrician: ['投诉已升级', `工单 ${no} 的投诉已升级为${LEVEL_TEXT[e.level]}。`],
        staff: ['投诉已升级', `工单 ${no} 的投诉已升级为${LEVEL_TEXT[e.level]}${text ? `：${text}` : ''}，请优先处理。`],
      },
      'complaint.resolved': {
        customer: [
          '投诉已处理',
          `工单 ${no} 的投诉已处理：${e.outcome ? OUTCOME_TEXT[e.outcome] : '已结案'}${
            e.refundAmount ? ` ${formatYuan(e.refundAmount)}` : ''
          }${text ? `，${text}` : ''}。`,
        ],
        electrician: ['投诉已处理', `工单 ${no} 的投诉已处理：${e.outcome ? OUTCOME_TEXT[e.outcome] : '已结案'}。`],
        staff: null,
      },
    }[e.name];
    const status = e.name === 'complaint.resolved' ? '已处理' : e.name === 'complaint.opened' ? '已受理' : '处理中';
    const drafts: NotificationDraft[] = [];
    // The customer is not told of their own addition (nor sent a subscribe message for it).
    if (step.customer)
      drafts.push({
        ...base,
        userId: e.customerId,
        title: step.customer[0]!,
        content: step.customer[1]!,
        subscribe: { key: 'complaintUpdate', vars: { orderNo: no, status, note: text, time: cstTime(e.at) } },
      });
    if (e.electricianUserId !== null)
      drafts.push({ ...base, userId: e.electricianUserId, title: step.electrician[0]!, content: step.electrician[1]! });
    if (step.staff)
      for (const userId of await staff('complaints.handle'))
        if (userId !== e.actor.id)
          drafts.push({ ...base, type: 'complaint', userId, title: step.staff[0]!, content: step.staff[1]! });
    return drafts;
  }

  /** Every party once (never `actorId`, when given); source keys become per recipient. */
  const recipients = (actorId: number | null, drafts: NotificationDraft[]) => {
    const seen = new Set<number>();
    return drafts
      .filter((x) => x.userId !== actorId && !seen.has(x.userId) && seen.add(x.userId))
      .map((x) => ({ ...x, sourceKey: `${x.sourceKey}:${x.userId}` }));
  };
  const notify = (actorId: number | null, drafts: NotificationDraft[]) => d.messages.notify(recipients(actorId, drafts));

  /** What an order event's transaction stored of its notifications, until its delivery pushes them. */
  const writtenFor = new WeakMap<object, Written>();

  const offs = [
    // An order's notifications commit with the step they tell of (no transaction of their own after it).
    bus.within('*', async (e, trx) => {
      if (!('action' in e)) return;
      writtenFor.set(e, await d.messages.notifyIn(recipients(null, await orderChanged(e)), trx));
    }),
    bus.subscribe('*', async (e) => {
      if (!('action' in e)) return;
      const written = writtenFor.get(e);
      // A redelivered event (the process died after the commit) is another object: its rows are
      // there already (or, staged by an older version, are written now), idempotent by source key.
      if (written) await d.messages.pushWritten(written);
      else await notify(null, await orderChanged(e));
      if (e.name === 'order.created' || e.name === 'order.released') await newOrderNearby(e);
    }),
    bus.subscribe('dispatch.offered', async (e) => notify(null, await dispatchOffered(e))),
    bus.subscribe('order.arrival_overdue', async (e) => notify(null, await arrivalOverdue(e))),
    bus.subscribe('order.paid', async (e) => notify(null, await orderPaid(e))),
    bus.subscribe('electrician.verified', async (e) => notify(e.actor.id, await verified(e))),
    ...(['review.created', 'review.replied', 'review.hidden'] as const).map((name) =>
      bus.subscribe(name, async (e) => notify(null, await review(e))),
    ),
    ...(
      ['complaint.opened', 'complaint.messaged', 'complaint.replied', 'complaint.escalated', 'complaint.resolved'] as const
    ).map((name) => bus.subscribe(name, async (e) => notify(null, await complaint(e)))),
  ];
  return () => offs.forEach((off) => off());
}
