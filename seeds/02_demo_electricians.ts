import type { Knex } from 'knex';
import { DEV_ID_CARD_KEY } from '../api/src/config';
import { createIdCardCipher } from '../api/src/modules/electricians/id-card';

/**
 * Approved, available electricians for the demo electrician accounts, 1–6 km around West Lake in
 * Hangzhou, so a demo order placed there finds them in the hall and by dispatch.
 */
export const DEMO_ELECTRICIANS = [
  {
    openid: 'dev-wang',
    realName: '王建国',
    idCard: '330106198203154517',
    certificateNumber: 'ZJ-DG-2012-031472',
    certificateType: 'low_voltage',
    experienceYears: 12,
    specialties: ['线路维修', '开关插座', '灯具安装', '跳闸排查'],
    serviceAreas: ['西湖区', '拱墅区'],
    introduction: '持低压电工操作证十二年，擅长老房线路排查与改造，上门准时，收费透明。',
    latitude: 30.268,
    longitude: 120.14,
    emergencyAvailable: true,
    minOrderAmount: 0,
  },
  {
    openid: 'dev-zhao',
    realName: '赵强',
    idCard: '330105197608223014',
    certificateNumber: 'ZJ-GY-2008-007715',
    certificateType: 'high_voltage',
    experienceYears: 18,
    specialties: ['配电箱', '三相电', '商铺用电', '线路维修'],
    serviceAreas: ['拱墅区', '上城区', '西湖区'],
    introduction: '高压电工，原供电所检修班出身，商铺与小工厂配电经验丰富。',
    latitude: 30.285,
    longitude: 120.155,
    emergencyAvailable: false,
    minOrderAmount: 5000,
  },
  {
    openid: 'dev-sun',
    realName: '孙立',
    idCard: '33012719890407153X',
    certificateNumber: 'ZJ-TZ-2015-102386',
    certificateType: 'special',
    experienceYears: 8,
    specialties: ['家电维修', '灯具安装', '智能家居'],
    serviceAreas: ['西湖区', '滨江区'],
    introduction: '特种作业操作证（电工作业），擅长家电与智能开关安装调试。',
    latitude: 30.23,
    longitude: 120.09,
    emergencyAvailable: false,
    minOrderAmount: 3000,
  },
] as const;

export interface SeedContext {
  /** The running configuration's ID_CARD_KEY; without it the dev key is used. */
  idCardKey?: Buffer;
}

/** Adds a profile for each demo electrician account that has none, so running it twice changes nothing. */
export async function seed(knex: Knex, now: Date = new Date(), ctx: SeedContext = {}): Promise<void> {
  const idCards = createIdCardCipher(ctx.idCardKey ?? Buffer.from(DEV_ID_CARD_KEY, 'hex'));
  const users = (await knex('users')
    .whereIn(
      'openid',
      DEMO_ELECTRICIANS.map((e) => e.openid),
    )
    .select('id', 'openid')) as { id: number; openid: string }[];
  const withProfile = new Set(
    (await knex('electricians')
      .whereIn(
        'user_id',
        users.map((u) => u.id),
      )
      .pluck('user_id')) as number[],
  );
  const admin = (await knex('users').where({ openid: 'dev-admin' }).first('id')) as { id: number } | undefined;

  const rows = DEMO_ELECTRICIANS.flatMap((e) => {
    const user = users.find((u) => u.openid === e.openid);
    if (!user || withProfile.has(Number(user.id))) return [];
    return [
      {
        user_id: user.id,
        real_name: e.realName,
        id_card_enc: idCards.encrypt(e.idCard),
        id_card_hash: idCards.hash(e.idCard),
        id_card_last4: e.idCard.slice(-4),
        certificate_number: e.certificateNumber,
        certificate_type: e.certificateType,
        certificate_images: JSON.stringify([]),
        experience_years: e.experienceYears,
        specialties: JSON.stringify(e.specialties),
        service_areas: JSON.stringify(e.serviceAreas),
        introduction: e.introduction,
        work_status: 'available',
        verification_status: 'approved',
        verification_note: '演示数据',
        verified_at: now,
        verified_by: admin?.id ?? null,
        current_latitude: e.latitude,
        current_longitude: e.longitude,
        location_updated_at: now,
        emergency_available: e.emergencyAvailable,
        min_order_amount: e.minOrderAmount,
        created_at: now,
        updated_at: now,
      },
    ];
  });
  if (rows.length === 0) return;
  await knex.transaction(async (trx) => {
    await trx('electricians').insert(rows);
    await trx('users')
      .whereIn(
        'id',
        rows.map((r) => r.user_id),
      )
      .whereNot('user_type', 'admin')
      .update({ user_type: 'electrician', updated_at: now });
  });
}
