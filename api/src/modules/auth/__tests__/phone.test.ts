import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsProvider } from '../../../integrations/sms';
import { DAY, MINUTE } from '../../../shared/clock';
import { DEFAULT_RATE_LIMITS } from '../../../shared/rate-limit';
import { startFakeWechat, type FakeWechat } from '../../../../test/fakes/wechat-server';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';

/** An SMS provider that keeps what it sent, as a phone would. */
function inbox(): SmsProvider & { last(phone: string): string } {
  const sent: { phone: string; code: string }[] = [];
  return {
    name: 'inbox',
    async sendCode(phone, code) {
      sent.push({ phone, code });
    },
    last(phone) {
      const hit = sent.filter((s) => s.phone === phone).at(-1);
      if (!hit) throw new Error(`no SMS to ${phone}`);
      return hit.code;
    },
  };
}

describe('binding a phone with an SMS code', () => {
  let t: TestApp;
  const sms = inbox();
  beforeAll(async () => {
    t = await createTestApp({ container: { sms } });
  });
  afterAll(() => t.close());

  const sendCode = (phoneNumber: string, headers: Record<string, string> = {}) =>
    t.http.post('/api/auth/sms-code').set(headers).send({ phoneNumber });
  const phoneOf = async (userId: number) => (await t.db('users').where({ id: userId }).first()).phone as string | null;

  it('when the right code is given, then the phone is bound, returned masked, and the code is spent', async () => {
    const s = await login(t, 'sms-ok');
    expect((await sendCode('13912345678')).status).toBe(200);
    const code = sms.last('13912345678');
    expect(code).toMatch(/^\d{6}$/);
    const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ phoneNumber: '13912345678', verifyCode: code });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ phone: '139****5678' });
    expect(await phoneOf(s.userId)).toBe('13912345678');
    // The stored code is a keyed hash, never the code itself.
    const row = await t.db('sms_codes').where({ phone: '13912345678' }).first();
    expect(row.code_hash).not.toContain(code);
    expect(row.consumed_at).not.toBeNull();

    const again = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ phoneNumber: '13912345678', verifyCode: code });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('SMS_CODE_EXPIRED');
  });

  it('when the phone number is malformed, then 400 with the field path and no code is sent', async () => {
    const before = await count(t.db, 'sms_codes');
    const res = await sendCode('12345');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details[0].path).toEqual(['body', 'phoneNumber']);
    expect(await count(t.db, 'sms_codes')).toBe(before);
  });

  it('when a second code is asked for within a minute, then 429; after a minute it is sent', async () => {
    expect((await sendCode('13700000001')).status).toBe(200);
    const second = await sendCode('13700000001');
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('RATE_LIMITED');
    t.clock.advance(MINUTE + 1000);
    expect((await sendCode('13700000001')).status).toBe(200);
  });

  it('when ten codes were sent to a phone within a day, then the eleventh is refused until the day has passed', async () => {
    const phone = '13700000002';
    for (let i = 0; i < 10; i++) {
      expect((await sendCode(phone)).status).toBe(200);
      t.clock.advance(MINUTE + 1000);
    }
    const eleventh = await sendCode(phone);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.message).toContain('上限');
    t.clock.advance(DAY);
    expect((await sendCode(phone)).status).toBe(200);
  });

  it('when the code is older than five minutes, then it is expired and the phone is not bound', async () => {
    const s = await login(t, 'sms-late');
    await sendCode('13700000003');
    const code = sms.last('13700000003');
    t.clock.advance(5 * MINUTE + 1000);
    const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ phoneNumber: '13700000003', verifyCode: code });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('SMS_CODE_EXPIRED');
    expect(await phoneOf(s.userId)).toBeNull();
  });

  it('when five wrong codes were tried, then even the right code is refused', async () => {
    const s = await login(t, 'sms-guesser');
    await sendCode('13700000004');
    const code = sms.last('13700000004');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ phoneNumber: '13700000004', verifyCode: wrong });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('SMS_CODE_INVALID');
    }
    const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ phoneNumber: '13700000004', verifyCode: code });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('SMS_CODE_LOCKED');
    expect(await phoneOf(s.userId)).toBeNull();
    expect((await t.db('sms_codes').where({ phone: '13700000004' }).first()).attempts).toBe(5);
  });

  it('when the phone belongs to another user, then 409 PHONE_TAKEN and neither user changes', async () => {
    const owner = await login(t, 'sms-owner');
    await sendCode('13700000005');
    await t.http
      .post('/api/auth/bind-phone')
      .set(owner.auth)
      .send({ phoneNumber: '13700000005', verifyCode: sms.last('13700000005') });
    t.clock.advance(MINUTE + 1000);
    const other = await login(t, 'sms-other');
    await sendCode('13700000005');
    const res = await t.http
      .post('/api/auth/bind-phone')
      .set(other.auth)
      .send({ phoneNumber: '13700000005', verifyCode: sms.last('13700000005') });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PHONE_TAKEN');
    expect(await phoneOf(owner.userId)).toBe('13700000005');
    expect(await phoneOf(other.userId)).toBeNull();
  });

  it('when the body mixes both ways or has neither, then 400', async () => {
    const s = await login(t, 'sms-confused');
    for (const body of [{}, { code: 'x', phoneNumber: '13700000006', verifyCode: '123456' }, { phoneNumber: '13700000006' }]) {
      const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('when binding without a token, then 401', async () => {
    const res = await t.http.post('/api/auth/bind-phone').send({ phoneNumber: '13700000007', verifyCode: '123456' });
    expect(res.status).toBe(401);
  });
});

describe('SMS limits per client address', () => {
  it('when one address asks for more than five codes a minute, then 429 even with forged X-Forwarded-For', async () => {
    const t = await createTestApp({ container: { sms: inbox(), rateLimits: DEFAULT_RATE_LIMITS } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await t.http
          .post('/api/auth/sms-code')
          .set('X-Forwarded-For', `10.0.0.${i}`)
          .send({ phoneNumber: `1360000000${i}` });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('when one proxy hop is trusted, then clients behind it are limited separately by their forwarded address', async () => {
    const t = await createTestApp({ env: { TRUST_PROXY: '1' }, container: { sms: inbox(), rateLimits: DEFAULT_RATE_LIMITS } });
    try {
      for (let i = 0; i < 7; i++) {
        const res = await t.http
          .post('/api/auth/sms-code')
          .set('X-Forwarded-For', `10.0.0.${i}`)
          .send({ phoneNumber: `1360000001${i}` });
        expect(res.status).toBe(200);
      }
    } finally {
      await t.close();
    }
  });

  it('when no SMS provider is configured, then 503 SMS_UNAVAILABLE and nothing counts against the phone', async () => {
    const t = await createTestApp({ env: { SMS_PROVIDER: 'disabled' } });
    try {
      const res = await t.http.post('/api/auth/sms-code').send({ phoneNumber: '13600000099' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SMS_UNAVAILABLE');
      expect(await count(t.db, 'sms_codes')).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('binding a phone with a WeChat phone code', () => {
  let fake: FakeWechat;
  let t: TestApp;
  beforeAll(async () => {
    fake = await startFakeWechat();
    t = await createTestApp({ env: { WECHAT_APPID: fake.appid, WECHAT_SECRET: fake.secret, WECHAT_API_BASE: fake.url } });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const liveLogin = async (openid: string) => {
    const code = `login-${openid}`;
    fake.codes.set(code, { openid });
    const res = await t.http.post('/api/auth/wechat-login').send({ code });
    return { auth: { Authorization: `Bearer ${res.body.data.token}` }, userId: res.body.data.user.id as number };
  };

  it('when WeChat returns the number, then it is bound, and one cached access token serves later calls', async () => {
    const a = await liveLogin('o-phone-a');
    fake.phoneCodes.set('pc-a', '13512345678');
    const res = await t.http.post('/api/auth/bind-phone').set(a.auth).send({ code: 'pc-a' });
    expect(res.status).toBe(200);
    expect(res.body.data.phone).toBe('135****5678');
    expect((await t.db('users').where({ id: a.userId }).first()).phone).toBe('13512345678');

    const b = await liveLogin('o-phone-b');
    fake.phoneCodes.set('pc-b', '13512345679');
    expect((await t.http.post('/api/auth/bind-phone').set(b.auth).send({ code: 'pc-b' })).status).toBe(200);
    expect(fake.tokensIssued).toBe(1);
    expect(fake.calls.filter((c) => c.path === '/cgi-bin/stable_token')).toHaveLength(1);
    expect(fake.calls.find((c) => c.path === '/cgi-bin/stable_token')?.body).toMatchObject({ force_refresh: false });
  });

  it('when WeChat has invalidated the cached token, then the client refreshes it once and succeeds', async () => {
    const c = await liveLogin('o-phone-c');
    fake.phoneCodes.set('pc-c', '13512345670');
    fake.expireToken();
    const issued = fake.tokensIssued;
    const res = await t.http.post('/api/auth/bind-phone').set(c.auth).send({ code: 'pc-c' });
    expect(res.status).toBe(200);
    expect(fake.tokensIssued).toBe(issued + 1);
  });

  it('when the phone code is invalid, then 400 PHONE_CODE_INVALID and nothing changes', async () => {
    const d = await liveLogin('o-phone-d');
    const res = await t.http.post('/api/auth/bind-phone').set(d.auth).send({ code: 'no-such-code' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PHONE_CODE_INVALID');
    expect((await t.db('users').where({ id: d.userId }).first()).phone).toBeNull();
  });
});

describe('binding a phone in dev WeChat mode', () => {
  it('when the code is dev-phone-<number>, then that number is bound', async () => {
    const t = await createTestApp();
    try {
      const s = await login(t, 'dev-phone-user');
      const res = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ code: 'dev-phone-13311112222' });
      expect(res.body.data.phone).toBe('133****2222');
      const bad = await t.http.post('/api/auth/bind-phone').set(s.auth).send({ code: 'dev-phone-123' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('PHONE_CODE_INVALID');
    } finally {
      await t.close();
    }
  });
});
