import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeWechat, type FakeWechat } from '../../../../test/fakes/wechat-server';
import { count, createTestApp, login, loginAsElectrician, testEnv, type Session, type TestApp } from '../../../../test/harness';
import { createApp } from '../../../app';
import { ConfigError, loadConfig } from '../../../config';
import { createContainer, type Container } from '../../../container';
import { createDb, type Db } from '../../../db';
import { createDevWechat, createLiveWechat, type WechatClient } from '../../../integrations/wechat/wechat';
import { createLogger, type Logger } from '../../../shared/logger';
import { placeOrder, uploadImage } from '../../orders/__tests__/order-helpers';
import { cstTime } from '../messages.events';
import { MAX_ATTEMPTS } from '../subscribe-outbox';

const DETAIL = 'pages/user/order-detail/index?id={orderId}';
const TEMPLATES = {
  orderAccepted: {
    templateId: 'tpl-accepted',
    page: DETAIL,
    fields: { character_string1: 'orderNo', thing2: 'name', time3: 'time' },
  },
  electricianArrived: { templateId: 'tpl-arrived', page: DETAIL, fields: { character_string1: 'orderNo', thing2: 'name' } },
  quoteReady: { templateId: 'tpl-quote', page: DETAIL, fields: { character_string1: 'orderNo', amount2: 'amount' } },
  orderCompleted: {
    templateId: 'tpl-completed',
    page: DETAIL,
    fields: { character_string1: 'orderNo', thing2: 'title', amount3: 'amount', time4: 'time' },
  },
};
const ALL = Object.values(TEMPLATES).map((x) => x.templateId);

/**
 * Logins stay in dev WeChat mode (any number of test users); subscribe messages go through the
 * live client to the fake WeChat server, with its token shared through `db`.
 */
function wechatFor(fake: FakeWechat, db: () => Db): WechatClient {
  const logger = createLogger('silent');
  let live: ReturnType<typeof createLiveWechat> | undefined;
  return {
    ...createDevWechat(logger),
    sendSubscribeMessage: (m) => {
      live ??= createLiveWechat({
        appid: fake.appid,
        secret: fake.secret,
        apiBase: fake.url,
        logger,
        clock: { now: () => new Date() },
        db: db(),
      });
      return live.sendSubscribeMessage(m);
    },
  };
}

describe('WeChat subscribe messages', () => {
  let fake: FakeWechat;
  let t: TestApp;
  let second: { c: Container; http: ReturnType<typeof request> };
  let n = 0;
  const name = (s: string) => `${s}-${++n}`;

  beforeAll(async () => {
    fake = await startFakeWechat();
    t = await createTestApp({
      env: { WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) },
      container: { wechat: wechatFor(fake, () => t.db) },
    });
    // A second instance of the app on the same database, as a second container would be.
    const c = createContainer(t.config, {
      db: createDb(t.config.databaseUrl),
      clock: t.clock,
      logger: createLogger('silent'),
      wechat: wechatFor(fake, () => c.db),
    });
    second = { c, http: request(createApp(c)) };
  });
  afterAll(async () => {
    await second.c.bus.drain();
    await second.c.db.destroy();
    await t.close();
    await fake.close();
  });

  const settled = async () => {
    await t.c.bus.drain();
    await second.c.bus.drain();
  };
  const grant = async (s: Session, accepted: string[], templateIds = ALL) => {
    const res = await t.http.post('/api/messages/subscriptions').set(s.auth).send({ templateIds, accepted });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as { templates: Record<string, string>; grants: Record<string, number> };
  };
  /** Remaining grants per configured template, as stored. */
  const grants = async (s: Session) => {
    const rows = (await t.db('subscriptions').where({ user_id: s.userId })) as { template_id: string; remaining: number }[];
    return Object.fromEntries(ALL.map((id) => [id, Number(rows.find((r) => r.template_id === id)?.remaining ?? 0)]));
  };
  const outbox = (userId: number) => t.db('subscribe_outbox').where({ user_id: userId }).orderBy('id');
  const tokenFetches = () => fake.calls.filter((c) => c.path === '/cgi-bin/stable_token').length;

  it('when a customer granted the templates and the order runs to completion across two app instances, then each configured message is sent once with one shared token', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    const answer = await grant(customer, [...ALL, 'tpl-not-ours'], [...ALL, 'tpl-not-ours']);
    expect(answer.templates).toEqual({
      orderAccepted: 'tpl-accepted',
      electricianArrived: 'tpl-arrived',
      quoteReady: 'tpl-quote',
      orderCompleted: 'tpl-completed',
    });
    expect(answer.grants).toEqual({ 'tpl-accepted': 1, 'tpl-arrived': 1, 'tpl-quote': 1, 'tpl-completed': 1 });
    expect(await count(t.db, 'subscriptions', { user_id: customer.userId, template_id: 'tpl-not-ours' })).toBe(0);

    const order = await placeOrder(t, customer);
    const sentBefore = fake.subscribeSent.length;
    const fetchesBefore = tokenFetches();
    const photo = await uploadImage(t, electrician, 'repair');
    const steps: [ReturnType<typeof request>, string, Session, object][] = [
      [second.http, 'grab', electrician, {}],
      [t.http, 'arrive', electrician, { latitude: 30.2613, longitude: 120.1334 }],
      [second.http, 'quote', electrician, { items: [{ name: '86 型五孔插座', quantity: 2, unitPrice: 1500 }], labourFee: 5000 }],
      [t.http, 'quote/accept', customer, {}],
      [second.http, 'complete', electrician, { repairContent: '更换插座，检查线路绝缘正常', repairImages: [photo] }],
    ];
    for (const [http, path, s, body] of steps) {
      const res = await http.post(`/api/orders/${order.id}/${path}`).set(s.auth).send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await settled();
    }

    const sent = fake.subscribeSent.slice(sentBefore);
    expect(sent.map((m) => m.template_id)).toEqual(['tpl-accepted', 'tpl-arrived', 'tpl-quote', 'tpl-completed']);
    const row = await t.db('orders').where({ id: order.id }).first();
    expect(sent[3]).toEqual({
      touser: (await t.db('users').where({ id: customer.userId }).first()).openid,
      template_id: 'tpl-completed',
      page: `pages/user/order-detail/index?id=${order.id}`,
      data: {
        character_string1: { value: order.orderNo },
        thing2: { value: row.title },
        amount3: { value: '¥80.00' },
        time4: { value: cstTime(t.clock.now()) },
      },
      lang: 'zh_CN',
    });
    expect(sent[0]!.data).toMatchObject({ thing2: { value: '测师傅' } });
    // Both instances sent with the one token the first of them fetched.
    expect(fetchesBefore).toBe(0);
    expect(tokenFetches()).toBe(1);
    expect(fake.tokensIssued).toBe(1);
    const mine = await t.http.get('/api/messages/subscriptions').set(customer.auth);
    expect(mine.body.data.grants).toEqual({ 'tpl-accepted': 0, 'tpl-arrived': 0, 'tpl-quote': 0, 'tpl-completed': 0 });
    expect((await outbox(customer.userId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(await outbox(electrician.userId)).toEqual([]);
  });

  it('when the user has no grant for the template, then nothing is queued or sent', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    await grant(customer, ['tpl-quote']);
    const before = fake.calls.length;
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    expect(await outbox(customer.userId)).toEqual([]);
    expect(fake.calls.slice(before).filter((c) => c.path === '/cgi-bin/message/subscribe/send')).toEqual([]);
    expect(await grants(customer)).toMatchObject({ 'tpl-quote': 1, 'tpl-accepted': 0 });
  });

  it('when WeChat answers 43101, then the message and the grant are dropped quietly and never retried', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    await grant(customer, ['tpl-accepted']);
    await grant(customer, ['tpl-accepted']);
    const sentBefore = fake.subscribeSent.length;
    fake.subscribeReplies.push({ errcode: 43101 });
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    const [row] = await outbox(customer.userId);
    expect(row).toMatchObject({ status: 'dropped', attempts: 1, last_error: expect.stringContaining('43101') });
    expect(await grants(customer)).toMatchObject({ 'tpl-accepted': 0 });
    t.clock.advance(3_600_000);
    expect(await t.c.services.messages.deliverSubscribeMessages()).toBe(0);
    expect(fake.subscribeSent.length).toBe(sentBefore);
  });

  it('when WeChat fails with HTTP 500 and then an errcode, then the outbox job retries with backoff until it is sent, using one grant', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    await grant(customer, ['tpl-accepted']);
    const sentBefore = fake.subscribeSent.length;
    fake.subscribeReplies.push({ status: 500 }, { errcode: -1 });
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    const row = async () => (await outbox(customer.userId))[0];
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await row()).last_error).toBeTruthy();
    expect(await grants(customer)).toMatchObject({ 'tpl-accepted': 1 });

    expect(await t.c.services.messages.deliverSubscribeMessages()).toBe(0);
    t.clock.advance(30_000);
    expect(await t.c.services.messages.deliverSubscribeMessages()).toBe(1);
    expect(await row()).toMatchObject({ status: 'pending', attempts: 2, last_error: expect.stringContaining('-1') });
    t.clock.advance(30_000);
    expect(await second.c.services.messages.deliverSubscribeMessages()).toBe(0);
    t.clock.advance(30_000);
    expect(await second.c.services.messages.deliverSubscribeMessages()).toBe(1);
    expect(await row()).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(fake.subscribeSent.length).toBe(sentBefore + 1);
    expect(await grants(customer)).toMatchObject({ 'tpl-accepted': 0 });
  });

  it('when WeChat refuses the template for good, or keeps failing, then the message is given up (at once, or after the last attempt) and the grant kept', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    await grant(customer, ['tpl-accepted']);
    await grant(customer, ['tpl-arrived']);
    fake.subscribeReplies.push({ errcode: 40037 }, ...Array.from({ length: MAX_ATTEMPTS }, () => ({ status: 500 })));
    const order = await placeOrder(t, customer);
    expect((await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth)).status).toBe(200);
    await settled();
    expect((await outbox(customer.userId))[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('40037'),
    });

    const arrived = await t.http
      .post(`/api/orders/${order.id}/arrive`)
      .set(electrician.auth)
      .send({ latitude: 30.2613, longitude: 120.1334 });
    expect(arrived.status).toBe(200);
    await settled();
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      t.clock.advance(3_600_000);
      expect(await t.c.services.messages.deliverSubscribeMessages()).toBe(1);
    }
    t.clock.advance(3_600_000);
    expect(await t.c.services.messages.deliverSubscribeMessages()).toBe(0);
    expect((await outbox(customer.userId))[1]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await grants(customer)).toMatchObject({ 'tpl-accepted': 1, 'tpl-arrived': 1 });
  });

  it('when WeChat is slow, then the request that caused the message is answered without waiting for it', async () => {
    const customer = await login(t, name('cust'));
    const electrician = await loginAsElectrician(t, name('elec'));
    await grant(customer, ['tpl-accepted']);
    const sentBefore = fake.subscribeSent.length;
    fake.subscribeReplies.push({ delayMs: 1500 });
    const order = await placeOrder(t, customer);
    const res = await t.http.post(`/api/orders/${order.id}/grab`).set(electrician.auth);
    expect(res.status).toBe(200);
    expect(fake.subscribeSent.length).toBe(sentBefore);
    await settled();
    expect(fake.subscribeSent.length).toBe(sentBefore + 1);
  });

  it('when the grant answer is malformed, then 400 with details and no grant is stored', async () => {
    const customer = await login(t, name('cust'));
    for (const body of [
      { templateIds: ['tpl-quote'], accepted: ['tpl-accepted'] },
      { templateIds: [], accepted: [] },
      { templateIds: 'tpl-quote', accepted: [] },
      { accepted: ['tpl-quote'] },
    ]) {
      const res = await t.http.post('/api/messages/subscriptions').set(customer.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    expect(await count(t.db, 'subscriptions', { user_id: customer.userId })).toBe(0);
  });
});

describe('subscribe-message configuration', () => {
  it('when WECHAT_SUBSCRIBE_TEMPLATES is unset, then no templates are configured', () => {
    expect(loadConfig(testEnv()).subscribeTemplates).toEqual({});
  });

  it('when it is valid JSON of known keys and variables, then it is parsed', () => {
    expect(loadConfig(testEnv({ WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) })).subscribeTemplates).toEqual(TEMPLATES);
  });

  it.each([
    ['not JSON', '{orderAccepted'],
    ['an unknown key', JSON.stringify({ orderShipped: { templateId: 'x', fields: {} } })],
    ['an unknown variable', JSON.stringify({ orderAccepted: { templateId: 'x', fields: { thing1: 'phone' } } })],
    ['no template id', JSON.stringify({ orderAccepted: { fields: {} } })],
  ])('when it has %s, then the configuration is refused naming the variable', (_, value) => {
    expect(() => loadConfig(testEnv({ WECHAT_SUBSCRIBE_TEMPLATES: value }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv({ WECHAT_SUBSCRIBE_TEMPLATES: value }))).toThrow(/WECHAT_SUBSCRIBE_TEMPLATES/);
  });
});

describe('dev WeChat mode', () => {
  it('when a subscribe message is sent, then it is logged, not sent, and reported as accepted', async () => {
    const info = vi.fn();
    const wechat = createDevWechat({ info } as unknown as Logger);
    const message = { touser: 'dev-a', templateId: 'tpl-completed', page: 'pages/index/index', data: { thing1: '维修已完成' } };
    expect(await wechat.sendSubscribeMessage(message)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(info).toHaveBeenCalledWith({ subscribeMessage: message }, expect.stringContaining('not sent'));
  });
});
