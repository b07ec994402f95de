/**
 * The world the authorization matrix runs in: one customer who owns everything (an accepted order,
 * a paid and reviewed order with an open complaint, a conversation, notifications, a payment, an
 * upload) and everyone who must not touch it — plus the ids and a valid body for every route.
 */
import type { StaffRole } from '../../src/shared/auth';
import { STAFF_ROLES } from '../../src/shared/permissions';
import { loginAsStaff } from '../../src/modules/staff/__tests__/staff-helpers';
import { applyAs, login, loginAsAdmin, loginAsElectrician, type Session, type TestApp } from '../harness';
import { placeOrder, uploadImage } from '../../src/modules/orders/__tests__/order-helpers';
import { paidOrderBetween, ratings } from '../../src/modules/reviews/__tests__/review-helpers';

/** The callers who are not staff, in the order of the matrix's access strings. */
export const PEOPLE = ['anonymous', 'owner', 'otherCustomer', 'assigned', 'otherElectrician', 'unapproved', 'banned'] as const;
export type Person = (typeof PEOPLE)[number];
/** Every staff role (the `admin` session is the WeChat admin of ADMIN_OPENIDS; the others sign in on the web). */
export const STAFF = STAFF_ROLES;
export type StaffCaller = StaffRole;
export const ROLES = [...PEOPLE, ...STAFF] as const;
export type MatrixRole = Person | StaffCaller;
export const isStaffCaller = (role: MatrixRole): role is StaffCaller => (STAFF as readonly string[]).includes(role);

export interface World {
  sessions: Record<Exclude<MatrixRole, 'anonymous'>, Session>;
  /** Path parameter values, by route path. */
  params(path: string): Record<string, string>;
  /** A query the route would accept (the hall needs a position). */
  query(path: string): Record<string, string | number>;
  /** A body the route would accept from the right caller (so a refusal is about who, not what). */
  body(method: string, path: string): unknown;
  /** Strings of the owner's and the assigned electrician's private data that no one else may see. */
  secrets: string[];
  /** The world's resources (the conversation is the accepted order's). */
  ids: { conversation: number; order: number };
}

export const OWNER_ADDRESS = '西湖区文三路 90 号 3 幢 502';
export const OWNER_PHONE = '13812345678';

const ADDRESS_BODY = {
  contactName: '张丽',
  contactPhone: OWNER_PHONE,
  region: '浙江省杭州市西湖区',
  address: OWNER_ADDRESS,
  latitude: 30.2612,
  longitude: 120.1335,
};

export async function buildWorld(t: TestApp): Promise<World> {
  const owner = await login(t, 'matrix-owner');
  const assigned = await loginAsElectrician(t, 'matrix-assigned');
  const otherElectrician = await loginAsElectrician(t, 'matrix-other-electrician');
  const applicant = await applyAs(t, 'matrix-unapproved');
  const unapproved = applicant.s;
  const otherCustomer = await login(t, 'matrix-other-customer');
  const admin = await loginAsAdmin(t);
  const banned = await login(t, 'matrix-banned');

  // A paid, reviewed order with an open complaint; and an accepted one.
  const paid = await paidOrderBetween(t, owner, assigned);
  const review = await t.http
    .post(`/api/orders/${paid.orderId}/review`)
    .set(owner.auth)
    .send(ratings(4, 5, 4));
  const complaint = await t.http
    .post(`/api/orders/${paid.orderId}/complaints`)
    .set(owner.auth)
    .send({ type: 'quality', content: '修完第二天又跳闸了，请尽快处理' });
  const invoice = await t.http
    .post(`/api/orders/${paid.orderId}/invoice`)
    .set(owner.auth)
    .send({ titleType: 'personal', title: '张丽', email: 'owner@example.com' });
  if (invoice.status !== 201) throw new Error(`invoice failed: ${invoice.status}`);
  const open = await placeOrder(t, owner, { address: OWNER_ADDRESS, contactPhone: OWNER_PHONE });
  await t.http.post(`/api/orders/${open.id}/grab`).set(assigned.auth);
  const conversations = await t.http.get('/api/chat/conversations').set(owner.auth);
  const conversation = (conversations.body.data as { id: number; orderId: number | null }[]).find((c) => c.orderId === open.id)!;
  await t.http
    .post(`/api/chat/conversations/${conversation.id}/messages`)
    .set(owner.auth)
    .send({ type: 'text', content: '师傅好' });
  await t.c.bus.drain();
  const notification = (await t.http.get('/api/messages').set(owner.auth)).body.data[0] as { id: number };
  const payment = await t.db('payments').where({ order_id: paid.orderId }).first();
  const upload = await uploadImage(t, owner, 'order');
  const address = await t.http.post('/api/addresses').set(owner.auth).send(ADDRESS_BODY);
  if (address.status !== 201) throw new Error(`address failed: ${address.status}`);
  const repairPhoto = await uploadImage(t, assigned, 'repair');

  const ban = await t.http
    .post(`/api/admin/users/${banned.userId}/status`)
    .set(admin.auth)
    .send({ status: 'banned', reason: '恶意刷单' });
  if (ban.status !== 200) throw new Error(`ban failed: ${ban.status}`);
  // The assigned electrician's wallet: a settled order (the app settles at once) and a withdrawal from it.
  await paidOrderBetween(t, owner, assigned);
  await t.c.services.payments.settleDue();
  await t.c.bus.drain();
  const withdrawal = await t.http
    .post('/api/electricians/me/withdrawals')
    .set(assigned.auth)
    .set('Idempotency-Key', 'matrix-withdrawal')
    .send({ amount: 1000 });
  if (withdrawal.status !== 201) throw new Error(`withdrawal failed: ${withdrawal.status}`);
  const openids = (await t.db('users').select('openid')).map((u) => u.openid as string);

  const ids = {
    order: open.id as number,
    paidOrder: paid.orderId,
    review: review.body.data.id as number,
    complaint: complaint.body.data.id as number,
    conversation: conversation.id,
    notification: notification.id,
    paymentNo: payment.payment_no as string,
    withdrawalNo: withdrawal.body.data.withdrawalNo as string,
    upload,
    address: address.body.data.id as number,
    invoice: invoice.body.data.id as number,
    electrician: assigned.electricianId,
    user: otherCustomer.userId,
    staff: admin.userId,
  };

  return {
    ids: { conversation: ids.conversation, order: ids.order },
    sessions: {
      owner,
      otherCustomer,
      assigned,
      otherElectrician,
      unapproved,
      banned,
      admin,
      ops_manager: await loginAsStaff(t, 'ops_manager'),
      agent: await loginAsStaff(t, 'agent'),
      finance: await loginAsStaff(t, 'finance'),
      inventory: await loginAsStaff(t, 'inventory'),
    },
    secrets: [OWNER_ADDRESS, OWNER_PHONE, ...openids.filter((o) => o !== 'dev-admin'), String(applicant.body.idCard)].filter(
      (s) => s.length > 3,
    ),
    params(path) {
      const id = (() => {
        if (/\/(review|complaints)$/.test(path) && path.startsWith('/api/orders/')) return ids.paidOrder;
        if (path.startsWith('/api/orders/') || path.startsWith('/api/admin/orders/')) return ids.order;
        if (path.startsWith('/api/reviews/') || path.startsWith('/api/admin/reviews/')) return ids.review;
        if (path.startsWith('/api/complaints/') || path.startsWith('/api/admin/complaints/')) return ids.complaint;
        if (path.startsWith('/api/chat/conversations/')) return ids.conversation;
        if (path.startsWith('/api/messages/')) return ids.notification;
        if (path.startsWith('/api/electricians/') || path.startsWith('/api/admin/electricians/')) return ids.electrician;
        if (path.startsWith('/api/uploads/') || path.startsWith('/api/files/')) return ids.upload;
        if (path.startsWith('/api/admin/users/')) return ids.user;
        if (path.startsWith('/api/admin/staff/')) return ids.staff;
        if (path.startsWith('/api/addresses/')) return ids.address;
        if (path.startsWith('/api/invoices/') || path.startsWith('/api/admin/invoices/')) return ids.invoice;
        return ids.order;
      })();
      return { id: String(id), paymentNo: ids.paymentNo, withdrawalNo: ids.withdrawalNo };
    },
    query(path): Record<string, string | number> {
      if (path === '/api/orders/hall') return { latitude: 30.26, longitude: 120.13 };
      return {};
    },
    body(method, path) {
      const key = `${method.toUpperCase()} ${path}`;
      const bodies: Record<string, unknown> = {
        'POST /api/auth/logout': { refreshToken: 'x'.repeat(43) },
        'POST /api/auth/bind-phone': { code: 'dev-phone-13900001111' },
        'PATCH /api/users/me': { nickname: '矩阵测试' },
        'PATCH /api/electricians/me': { introduction: '从业十年，擅长家庭电路' },
        'PUT /api/electricians/me': { introduction: '从业十年，擅长家庭电路' },
        'PUT /api/users/me': { nickname: '矩阵测试' },
        'POST /api/addresses': { ...ADDRESS_BODY, address: '上城区河坊街 5 号' },
        'PATCH /api/addresses/:id': { tag: '家', isDefault: true },
        'PUT /api/addresses/:id': { tag: '家', isDefault: true },
        'POST /api/orders': {
          contactName: '张',
          contactPhone: '13800000001',
          address: '某地',
          region: '杭州市',
          latitude: 30.26,
          longitude: 120.13,
          description: '灯不亮了，麻烦看看',
          urgentType: 'normal',
          faultType: 'lighting',
        },
        'POST /api/orders/:id/dispatch/reject': { reason: '距离太远' },
        'POST /api/orders/:id/arrive': { latitude: 30.2613, longitude: 120.1334 },
        'POST /api/orders/:id/release': { reason: '临时有事，无法上门' },
        'POST /api/orders/:id/quote': { items: [{ name: '开关', quantity: 1, unitPrice: 1000 }], labourFee: 2000 },
        'POST /api/orders/:id/quote/reject': { reason: '价格太高' },
        'POST /api/orders/:id/complete': { repairContent: '更换墙壁开关并检查线路绝缘', repairImages: [repairPhoto] },
        'POST /api/orders/:id/cancel': { reason: '不需要了' },
        'POST /api/chat/conversations/:id/messages': { type: 'text', content: '你好' },
        'POST /api/chat/conversations/:id/read': { upToMessageId: 1 },
        'POST /api/messages/subscriptions': { templateIds: ['tmpl-1'], accepted: ['tmpl-1'] },
        'POST /api/orders/:id/complaints': { type: 'service', content: '服务态度不好，请处理一下' },
        'POST /api/complaints/:id/messages': { content: '补充一下情况说明' },
        'POST /api/orders/:id/review': ratings(5, 5, 5),
        'POST /api/reviews/:id/reply': { content: '感谢您的评价' },
        'POST /api/reviews/:id/helpful': {},
        'POST /api/reviews/:id/report': { reason: '内容不实' },
        'POST /api/payments': { orderId: ids.paidOrder },
        'POST /api/electricians/apply': { realName: '王五' },
        'POST /api/orders/:id/parts-requests': { warehouseId: 1, items: [{ catalogItemId: 1, quantity: 1 }] },
        'POST /api/parts-requests/:id/settle': { items: [{ catalogItemId: 1, used: 0 }] },
        'POST /api/admin/catalog/items': {
          code: 'M-MATRIX',
          name: '插座',
          category: 'material',
          unit: '个',
          standardPrice: 100,
          maxPrice: 200,
        },
        'PATCH /api/admin/catalog/items/:id': { name: '插座' },
        'POST /api/admin/warehouses': { name: '矩阵仓' },
        'POST /api/admin/stock/movements': { warehouseId: 1, catalogItemId: 1, type: 'in', quantity: 1, note: '入库' },
        'POST /api/admin/parts-requests/:id/reject': { reason: '不需要' },
        'POST /api/orders/:id/invoice': { titleType: 'personal', title: '张丽' },
        'POST /api/admin/invoices/:id/issue': { invoiceNo: '24330000000000000001', fileUploadId: upload },
        'POST /api/admin/invoices/:id/reject': { reason: '抬头有误' },
        'POST /api/faq/:id/feedback': { helpful: true },
        'POST /api/chat/customer-service/ask': { question: '上门费怎么算' },
        'POST /api/chat/customer-service/escalate': { reason: '想找人工' },
        'POST /api/chat/customer-service/complaint': { orderId: ids.order, type: 'service', content: '服务态度不好，请处理一下' },
        'POST /api/admin/faq': { category: 'other', question: '矩阵问题？', answer: '矩阵回答。', keywords: [] },
        'PATCH /api/admin/faq/:id': { active: false },
        'POST /api/electricians/me/withdrawals': { amount: 1000 },
        'POST /api/admin/withdrawals/:withdrawalNo/reject': { reason: '信息待核实' },
      };
      return bodies[key] ?? {};
    },
  };
}
