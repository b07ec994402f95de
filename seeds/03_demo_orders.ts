import type { Knex } from 'knex';
import { DEFAULT_PRICE_TABLE, type FaultType } from '../api/src/config';
import { ACTIVE_STATUSES, type OrderStatus } from '../api/src/modules/orders/order-states';

/**
 * Demo orders around West Lake in every state, each with the timeline it would have had, so the
 * mini-program and the console have something true to show. Electricians' counters are recomputed
 * from the orders, as the order transitions would have left them.
 */
type Step = 'grab' | 'arrive' | 'quote' | 'quote_accept' | 'complete' | 'cancel' | 'expire';

interface DemoOrder {
  no: string;
  customer: string;
  electrician?: string;
  faultType: FaultType;
  urgent?: boolean;
  title: string;
  description: string;
  address: string;
  region: string;
  latitude: number;
  longitude: number;
  steps: Step[];
  quote?: { items: { name: string; quantity: number; unitPrice: number }[]; labourFee: number };
  cancelReason?: string;
  minutesAgo: number;
}

const ORDERS: DemoOrder[] = [
  {
    no: 'E2026112200000001',
    customer: 'dev-alice',
    faultType: 'circuit',
    title: '客厅插座冒火花',
    description: '客厅电视墙插座插上电器就冒火花，闻到焦味，已经拉了总闸。',
    address: '西湖区文三路 90 号 3 幢 502',
    region: '杭州市西湖区',
    latitude: 30.2781,
    longitude: 120.1362,
    steps: [],
    minutesAgo: 8,
  },
  {
    no: 'E2026112200000002',
    customer: 'dev-carol',
    faultType: 'emergency',
    urgent: true,
    title: '店铺整体停电',
    description: '便利店突然全部断电，冰柜也停了，空开合不上去，急需上门。',
    address: '上城区解放路 18 号 便利店',
    region: '杭州市上城区',
    latitude: 30.2575,
    longitude: 120.1688,
    steps: [],
    minutesAgo: 3,
  },
  {
    no: 'E2026112200000003',
    customer: 'dev-bob',
    electrician: 'dev-wang',
    faultType: 'lighting',
    title: '卫生间灯不亮',
    description: '卫生间吸顶灯不亮，换了灯泡也不行，开关按下去没反应。',
    address: '拱墅区莫干山路 100 号 1 单元 801',
    region: '杭州市拱墅区',
    latitude: 30.2901,
    longitude: 120.1512,
    steps: ['grab'],
    minutesAgo: 40,
  },
  {
    no: 'E2026112200000004',
    customer: 'dev-alice',
    electrician: 'dev-zhao',
    faultType: 'appliance',
    title: '热水器频繁跳闸',
    description: '电热水器一开就跳闸，别的电器都正常。',
    address: '西湖区文三路 90 号 3 幢 502',
    region: '杭州市西湖区',
    latitude: 30.2781,
    longitude: 120.1362,
    steps: ['grab', 'arrive', 'quote'],
    quote: { items: [{ name: '热水器专用漏电保护开关', quantity: 1, unitPrice: 6800 }], labourFee: 8000 },
    minutesAgo: 150,
  },
  {
    no: 'E2026112200000005',
    customer: 'dev-bob',
    electrician: 'dev-sun',
    faultType: 'installation',
    title: '新装厨房插座',
    description: '厨房想加两个五孔插座给烤箱和微波炉用，需要走明线槽。',
    address: '拱墅区莫干山路 100 号 1 单元 801',
    region: '杭州市拱墅区',
    latitude: 30.2901,
    longitude: 120.1512,
    steps: ['grab', 'arrive', 'quote', 'quote_accept'],
    quote: {
      items: [
        { name: '16A 五孔插座', quantity: 2, unitPrice: 2500 },
        { name: '4 平方铜芯线（米）', quantity: 12, unitPrice: 600 },
      ],
      labourFee: 15000,
    },
    minutesAgo: 300,
  },
  {
    no: 'E2026112200000006',
    customer: 'dev-alice',
    electrician: 'dev-wang',
    faultType: 'circuit',
    title: '卧室电路跳闸',
    description: '卧室一开空调就跳闸，怀疑线路老化。',
    address: '西湖区文三路 90 号 3 幢 502',
    region: '杭州市西湖区',
    latitude: 30.2781,
    longitude: 120.1362,
    steps: ['grab', 'arrive', 'quote', 'quote_accept', 'complete'],
    quote: { items: [{ name: '空调专用线路（米）', quantity: 15, unitPrice: 800 }], labourFee: 12000 },
    minutesAgo: 60 * 26,
  },
  {
    no: 'E2026112200000007',
    customer: 'dev-carol',
    electrician: 'dev-zhao',
    faultType: 'maintenance',
    title: '店铺电路年检',
    description: '店里想做一次整体电路检修，检查配电箱和接地。',
    address: '上城区解放路 18 号 便利店',
    region: '杭州市上城区',
    latitude: 30.2575,
    longitude: 120.1688,
    steps: ['grab', 'arrive', 'cancel'],
    cancelReason: '改期到下个月再做',
    minutesAgo: 60 * 50,
  },
  {
    no: 'E2026112200000008',
    customer: 'dev-bob',
    faultType: 'other',
    title: '门铃不响',
    description: '可视门铃没有声音，不确定是线的问题还是门铃坏了。',
    address: '拱墅区莫干山路 100 号 1 单元 801',
    region: '杭州市拱墅区',
    latitude: 30.2901,
    longitude: 120.1512,
    steps: ['expire'],
    minutesAgo: 60 * 72,
  },
];

const STEP_TO: Record<Step, OrderStatus> = {
  grab: 'accepted',
  arrive: 'arrived',
  quote: 'quoted',
  quote_accept: 'in_progress',
  complete: 'completed',
  cancel: 'cancelled',
  expire: 'expired',
};

export async function seed(knex: Knex, now: Date = new Date()): Promise<void> {
  const existing = new Set(
    (await knex('orders')
      .whereIn(
        'order_no',
        ORDERS.map((o) => o.no),
      )
      .pluck('order_no')) as string[],
  );
  const users = new Map(
    (
      await knex('users')
        .whereIn('openid', [...new Set(ORDERS.flatMap((o) => [o.customer, o.electrician ?? o.customer]))])
        .select('id', 'openid')
    ).map((u: { id: number; openid: string }) => [u.openid, Number(u.id)]),
  );
  const electricians = new Map(
    (await knex('electricians').join('users', 'users.id', 'electricians.user_id').select('electricians.id', 'users.openid')).map(
      (e: { id: number; openid: string }) => [e.openid, Number(e.id)],
    ),
  );

  const touched = new Set<number>();
  for (const demo of ORDERS) {
    const userId = users.get(demo.customer);
    const electricianId = demo.electrician ? electricians.get(demo.electrician) : undefined;
    if (existing.has(demo.no) || !userId || (demo.electrician && !electricianId)) continue;
    const electricianUserId = demo.electrician ? users.get(demo.electrician)! : null;
    if (electricianId) touched.add(electricianId);

    const created = new Date(now.getTime() - demo.minutesAgo * 60_000);
    const at = (i: number) =>
      new Date(created.getTime() + (i + 1) * Math.min(20, demo.minutesAgo / (demo.steps.length + 1)) * 60_000);
    const surcharge = demo.urgent ? DEFAULT_PRICE_TABLE.urgentSurcharge : 0;
    const visitFee = DEFAULT_PRICE_TABLE.visitFee[demo.faultType] + surcharge;
    const quoteAmount = demo.quote
      ? demo.quote.items.reduce((s, i) => s + i.quantity * i.unitPrice, 0) + demo.quote.labourFee
      : null;
    const status = demo.steps.length ? STEP_TO[demo.steps.at(-1)!] : 'pending';
    const when = (step: Step) => (demo.steps.includes(step) ? at(demo.steps.indexOf(step)) : null);
    const arrivedBeforeCancel = demo.steps.includes('arrive');

    await knex.transaction(async (trx) => {
      const [id] = await trx('orders').insert({
        order_no: demo.no,
        user_id: userId,
        electrician_id: electricianId ?? null,
        title: demo.title,
        description: demo.description,
        fault_type: demo.faultType,
        priority: demo.urgent ? 'urgent' : 'medium',
        contact_name: demo.customer === 'dev-alice' ? '张丽' : demo.customer === 'dev-bob' ? '李明' : '陈芳',
        contact_phone:
          demo.customer === 'dev-alice' ? '13800000001' : demo.customer === 'dev-bob' ? '13800000002' : '13800000003',
        region: demo.region,
        address: demo.address,
        latitude: demo.latitude,
        longitude: demo.longitude,
        images: JSON.stringify([]),
        visit_fee: visitFee,
        estimated_amount: DEFAULT_PRICE_TABLE.estimate[demo.faultType] + surcharge,
        quoted_amount: demo.steps.includes('quote') ? quoteAmount : null,
        final_amount: demo.steps.includes('quote_accept')
          ? quoteAmount
          : status === 'cancelled'
            ? arrivedBeforeCancel
              ? visitFee
              : 0
            : null,
        quote_items: demo.steps.includes('quote') ? JSON.stringify(demo.quote!.items) : null,
        quote_version: demo.steps.includes('quote') ? 1 : 0,
        repair_content: status === 'completed' ? '重新敷设空调专用线路并更换 25A 空开，通电测试正常。' : null,
        repair_images: JSON.stringify([]),
        status,
        expires_at: status === 'pending' ? new Date(now.getTime() + 30 * 60_000) : null,
        accepted_at: when('grab'),
        arrived_at: when('arrive'),
        arrive_latitude: when('arrive') ? demo.latitude : null,
        arrive_longitude: when('arrive') ? demo.longitude : null,
        quoted_at: when('quote'),
        started_at: when('quote_accept'),
        completed_at: when('complete'),
        cancelled_at: when('cancel'),
        expired_at: when('expire'),
        cancel_reason: demo.cancelReason ?? null,
        cancelled_by: status === 'cancelled' ? 'customer' : null,
        arrive_due_at: status === 'accepted' ? new Date(at(0).getTime() + 120 * 60_000) : null,
        dispatch_status: demo.urgent ? 'exhausted' : null,
        payment_status: 'unpaid',
        version: demo.steps.length,
        created_at: created,
        updated_at: demo.steps.length ? at(demo.steps.length - 1) : created,
      });
      const events = [
        {
          action: 'create',
          from_status: null,
          to_status: 'pending',
          actor_id: userId,
          actor_role: 'customer',
          created_at: created,
        },
        ...demo.steps.map((step, i) => {
          const byCustomer = step === 'quote_accept' || step === 'cancel';
          return {
            action: step,
            from_status: i === 0 ? 'pending' : STEP_TO[demo.steps[i - 1]!],
            to_status: STEP_TO[step],
            actor_id: step === 'expire' ? null : byCustomer ? userId : electricianUserId,
            actor_role: step === 'expire' ? 'system' : byCustomer ? 'customer' : 'electrician',
            created_at: at(i),
          };
        }),
      ];
      await trx('order_events').insert(events.map((e) => ({ ...e, order_id: id, details: JSON.stringify({}) })));
      if (demo.quote && demo.steps.includes('quote')) {
        const materials = demo.quote.items.reduce((s, i) => s + i.quantity * i.unitPrice, 0);
        const decided = demo.steps.includes('quote_accept') ? 'accepted' : status === 'cancelled' ? 'cancelled' : 'pending';
        await trx('order_quotes').insert({
          order_id: id,
          version: 1,
          electrician_id: electricianId,
          items: JSON.stringify(demo.quote.items),
          materials_fee: materials,
          labour_fee: demo.quote.labourFee,
          amount: materials + demo.quote.labourFee,
          status: decided,
          created_at: when('quote'),
          decided_at: decided === 'pending' ? null : (when('quote_accept') ?? when('cancel')),
        });
      }
    });
  }

  // Counters of the demo electricians, as the transitions would have left them.
  for (const electricianId of touched) {
    const rows: { status: OrderStatus }[] = await knex('orders').where({ electrician_id: electricianId }).select('status');
    await knex('electricians')
      .where({ id: electricianId })
      .update({
        active_orders: rows.filter((r) => ACTIVE_STATUSES.includes(r.status)).length,
        completed_orders: rows.filter((r) => r.status === 'completed').length,
        total_orders: rows.length,
      });
  }
}
