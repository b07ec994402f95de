import type { Knex } from 'knex';

/** Demo accounts; log in from the mini-program or curl with code `dev-<name>` in dev WeChat mode. */
export const DEMO_USERS = [
  { openid: 'dev-admin', nickname: '运营小周', name: '周运营', user_type: 'admin', staff_role: 'admin', phone: '13800000000' },
  {
    openid: 'dev-alice',
    nickname: '张女士',
    name: '张丽',
    user_type: 'user',
    phone: '13800000001',
    city: '杭州市',
    province: '浙江省',
    address: '西湖区文三路 90 号 3 幢 502',
  },
  {
    openid: 'dev-bob',
    nickname: '李先生',
    name: '李明',
    user_type: 'user',
    phone: '13800000002',
    city: '杭州市',
    province: '浙江省',
    address: '拱墅区莫干山路 100 号 1 单元 801',
  },
  {
    openid: 'dev-carol',
    nickname: '陈老板',
    name: '陈芳',
    user_type: 'user',
    phone: '13800000003',
    city: '杭州市',
    province: '浙江省',
    address: '上城区解放路 18 号 便利店',
  },
  {
    openid: 'dev-wang',
    nickname: '王师傅',
    name: '王建国',
    user_type: 'electrician',
    phone: '13900000001',
    city: '杭州市',
    province: '浙江省',
  },
  {
    openid: 'dev-zhao',
    nickname: '赵师傅',
    name: '赵强',
    user_type: 'electrician',
    phone: '13900000002',
    city: '杭州市',
    province: '浙江省',
  },
  {
    openid: 'dev-sun',
    nickname: '孙师傅',
    name: '孙立',
    user_type: 'electrician',
    phone: '13900000003',
    city: '杭州市',
    province: '浙江省',
  },
] as const;

/** Inserts the demo users that are missing (by openid), so running it twice changes nothing. */
export async function seed(knex: Knex, now: Date = new Date()): Promise<void> {
  const existing = new Set(
    (await knex('users')
      .whereIn(
        'openid',
        DEMO_USERS.map((u) => u.openid),
      )
      .pluck('openid')) as string[],
  );
  const rows = DEMO_USERS.filter((u) => !existing.has(u.openid)).map((u) => ({
    gender: 'unknown',
    status: 'active',
    staff_role: null,
    city: null,
    province: null,
    address: null,
    ...u,
    created_at: now,
    updated_at: now,
  }));
  if (rows.length > 0) await knex('users').insert(rows);
}
