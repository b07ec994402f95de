import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Config, FaultType } from '../../api/src/config';
import { FAULT_TYPES } from '../../api/src/config';
import type { Db } from '../../api/src/db';
import { createIdCardCipher } from '../../api/src/modules/electricians/id-card';
import { createTokenSigner } from '../../api/src/modules/auth/tokens';
import { systemClock } from '../../api/src/shared/clock';

export const CENTER = { latitude: 30.259, longitude: 120.13 };

/** What a customer posts to POST /api/orders: an order at the center of the seeded city. */
export const ORDER_BODY = {
  contactName: '张丽',
  contactPhone: '13812345678',
  address: '西湖区文三路 90 号 3 幢 502',
  region: '杭州市西湖区',
  ...CENTER,
  description: '客厅插座冒火花，总闸跳了两次',
  urgentType: 'normal',
  faultType: 'circuit',
};

export interface Actor {
  userId: number;
  token: string;
}
export interface BenchElectrician extends Actor {
  electricianId: number;
  latitude: number;
  longitude: number;
}
export interface BenchWorld {
  customers: Actor[];
  electricians: BenchElectrician[];
}

/** A point within `km` of the center, uniformly over the disc. */
export function around(km: number, rnd = Math.random) {
  const r = km * Math.sqrt(rnd());
  const theta = 2 * Math.PI * rnd();
  return {
    latitude: CENTER.latitude + (r / 111.32) * Math.cos(theta),
    longitude: CENTER.longitude + (r / (111.32 * Math.cos((CENTER.latitude * Math.PI) / 180))) * Math.sin(theta),
  };
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** Columns of an order as the API writes them, for bulk seeding. */
export function orderRow(userId: number, status: string, now: Date, overrides: Record<string, unknown> = {}) {
  const faultType: FaultType = pick(FAULT_TYPES);
  const urgent = Math.random() < 0.1;
  return {
    order_no: `B${randomBytes(8).toString('hex')}`,
    user_id: userId,
    title: '基准测试工单',
    description: '插座冒火花，需要上门检查线路',
    fault_type: faultType,
    priority: urgent ? 'urgent' : 'medium',
    contact_name: '张丽',
    contact_phone: '13812345678',
    region: '杭州市西湖区',
    address: '西湖区文三路 90 号',
    ...around(30),
    images: '[]',
    visit_fee: 3000,
    estimated_amount: 5000 + Math.floor(Math.random() * 20) * 1000,
    status,
    expires_at: status === 'pending' ? new Date(now.getTime() + 7 * 24 * 3600_000) : null,
    payment_status: 'unpaid',
    repair_images: '[]',
    created_at: new Date(now.getTime() - Math.floor(Math.random() * 30 * 24 * 3600_000)),
    updated_at: now,
    ...overrides,
  };
}

/** Pending orders written straight into the database, one per entry of `userIds`; their ids, in that order. */
export async function pendingOrders(db: Db, userIds: number[], overrides: Record<string, unknown> = {}): Promise<number[]> {
  const now = new Date();
  const rows = userIds.map((userId) => orderRow(userId, 'pending', now, { created_at: now, ...overrides }));
  await db.batchInsert('orders', rows, 400);
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const found: { id: number; order_no: string }[] = await db('orders')
      .whereIn(
        'order_no',
        rows.slice(i, i + 500).map((r) => r.order_no),
      )
      .select('id', 'order_no');
    for (const r of found) ids.set(r.order_no, Number(r.id));
  }
  return rows.map((r) => ids.get(r.order_no)!);
}

/**
 * Customers, approved electricians around one city and `orders` orders (a fifth pending), written
 * straight into the database, with live sessions and signed access tokens so no request is spent
 * logging in.
 */
export async function seedWorld(
  db: Db,
  config: Config,
  size: { customers: number; electricians: number; orders: number },
): Promise<BenchWorld> {
  const now = new Date();
  const signer = createTokenSigner(config.jwtSecret, systemClock);
  const idCards = createIdCardCipher(config.idCardKey);

  async function users(prefix: string, n: number, userType: string): Promise<number[]> {
    const rows = Array.from({ length: n }, (_, i) => ({
      openid: `bench-${prefix}-${i}-${randomBytes(3).toString('hex')}`,
      user_type: userType,
      gender: 'unknown',
      status: 'active',
      created_at: now,
      updated_at: now,
    }));
    await db.batchInsert('users', rows, 500);
    return (
      await db('users')
        .whereIn(
          'openid',
          rows.map((r) => r.openid),
        )
        .orderBy('id')
        .pluck('id')
    ).map(Number);
  }

  async function sessions(ids: number[]): Promise<Actor[]> {
    const rows = ids.map((userId) => ({
      userId,
      family: randomUUID(),
    }));
    await db.batchInsert(
      'refresh_tokens',
      rows.map((r) => ({
        user_id: r.userId,
        family_id: r.family,
        token_hash: createHash('sha256').update(randomBytes(16)).digest('hex'),
        expires_at: new Date(now.getTime() + 30 * 24 * 3600_000),
        created_at: now,
      })),
      500,
    );
    return rows.map((r) => ({ userId: r.userId, token: signer.sign({ userId: r.userId, sessionId: r.family }) }));
  }

  const customerIds = await users('c', size.customers, 'user');
  const electricianUserIds = await users('e', size.electricians, 'electrician');
  const located = electricianUserIds.map((userId, i) => ({ userId, ...around(15), i }));
  await db.batchInsert(
    'electricians',
    located.map((e) => {
      const card = `3301061990${String(e.userId).padStart(8, '0')}`;
      return {
        user_id: e.userId,
        real_name: '基准电工',
        id_card_enc: idCards.encrypt(card),
        id_card_hash: idCards.hash(card),
        id_card_last4: card.slice(-4),
        certificate_number: `BENCH-${e.userId}`,
        certificate_type: 'low_voltage',
        certificate_images: '[]',
        specialties: '[]',
        service_areas: '[]',
        work_status: 'available',
        verification_status: 'approved',
        emergency_available: e.i % 5 === 0,
        current_latitude: e.latitude,
        current_longitude: e.longitude,
        location_updated_at: now,
        created_at: now,
        updated_at: now,
      };
    }),
    500,
  );
  const electricianIds = new Map(
    (await db('electricians').whereIn('user_id', electricianUserIds).select('id', 'user_id')).map(
      (r: { id: number; user_id: number }) => [Number(r.user_id), Number(r.id)],
    ),
  );

  const statuses = ['completed', 'cancelled', 'expired', 'completed'];
  const rows = Array.from({ length: size.orders }, (_, i) =>
    orderRow(pick(customerIds), i % 5 === 0 ? 'pending' : pick(statuses), now),
  );
  await db.batchInsert('orders', rows, 400);

  const customerSessions = await sessions(customerIds);
  const electricianSessions = await sessions(electricianUserIds);
  return {
    customers: customerSessions,
    electricians: electricianSessions.map((s, i) => ({
      ...s,
      electricianId: electricianIds.get(s.userId)!,
      latitude: located[i]!.latitude,
      longitude: located[i]!.longitude,
    })),
  };
}
