import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWechat, type FakeWechat } from '../../../../test/fakes/wechat-server';
import { createTestApp, login, loginAsElectrician, type Session, type TestApp } from '../../../../test/harness';
import { createDevWechat, createLiveWechat, type WechatClient } from '../../../integrations/wechat/wechat';
import { createLogger } from '../../../shared/logger';
import { placeOrder } from '../../orders/__tests__/order-helpers';
import { cstTime } from '../messages.events';

/*
 * Subscribe messages for electricians with the app closed: a new order nearby (to those its
 * `new-order` push is for) and a dispatch offer (to the electrician offered), each only with a grant.
 */

const TEMPLATES = {
  newOrder: {
    templateId: 'tpl-new-order',
    page: 'pages/hall/hall',
    fields: { character_string1: 'orderNo', thing2: 'title', thing3: 'note', amount4: 'amount' },
  },
  dispatchOffer: {
    templateId: 'tpl-dispatch',
    page: 'pages/electrician/order-detail/order-detail?id={orderId}',
    fields: { character_string1: 'orderNo', thing2: 'title', time3: 'time' },
  },
};

/** Logins in dev WeChat mode; subscribe messages through the live client to the fake WeChat server. */
function wechatFor(fake: FakeWechat, t: () => TestApp): WechatClient {
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
        db: t().db,
      });
      return live.sendSubscribeMessage(m);
    },
  };
}

describe('subscribe messages to electricians', () => {
  let fake: FakeWechat;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startFakeWechat();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    t = await createTestApp({
      env: { WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) },
      container: { wechat: wechatFor(fake, () => t) },
    });
    fake.subscribeSent.length = 0;
    fake.calls.length = 0;
  });
  afterEach(async () => {
    await t.close();
  });

  const grant = async (s: Session, accepted: string[]) => {
    const res = await t.http
      .post('/api/messages/subscriptions')
      .set(s.auth)
      .send({ templateIds: Object.values(TEMPLATES).map((x) => x.templateId), accepted });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const openid = async (s: Session) => (await t.db('users').where({ id: s.userId }).first()).openid as string;
  const outbox = () => t.db('subscribe_outbox').orderBy('id');

  it('when a normal order is placed, then of the electricians its new-order push is for, each one holding a grant gets exactly one message', async () => {
    const granted = await loginAsElectrician(t, 'near-granted');
    const ungranted = await loginAsElectrician(t, 'near-ungranted');
    // Granted too, but not among those the push is for: busy, too far, or above their minimum.
    const busy = await loginAsElectrician(t, 'near-busy', { workStatus: 'busy' });
    const far = await loginAsElectrician(t, 'far', { latitude: 31.23, longitude: 121.47 });
    const dear = await loginAsElectrician(t, 'dear', { minOrderAmount: 1_000_000 });
    for (const s of [granted, busy, far, dear]) await grant(s, ['tpl-new-order']);
    await grant(ungranted, []);
    const customer = await login(t, 'placer');

    const order = await placeOrder(t, customer);
    await t.c.bus.drain();

    const row = await t.db('orders').where({ id: order.id }).first();
    expect(fake.subscribeSent).toEqual([
      {
        touser: await openid(granted),
        template_id: 'tpl-new-order',
        page: 'pages/hall/hall',
        data: {
          character_string1: { value: order.orderNo },
          thing2: { value: row.title },
          thing3: { value: row.region },
          amount4: { value: `¥${(Number(row.estimated_amount) / 100).toFixed(2)}` },
        },
        lang: 'zh_CN',
      },
    ]);
    expect((await outbox()).map((r) => [Number(r.user_id), r.template_key, r.status])).toEqual([
      [granted.userId, 'newOrder', 'sent'],
    ]);
    // One grant, one message: a second order finds none left.
    await placeOrder(t, customer);
    await t.c.bus.drain();
    expect(fake.subscribeSent).toHaveLength(1);
    // No notification rows for a nearby order: it is a push, not news to keep.
    expect(await t.db('notifications').where({ user_id: granted.userId, type: 'order' })).toEqual([]);
  });

  it('when an urgent order is offered to an electrician who granted the dispatch template, then exactly one message goes to them', async () => {
    const offered = await loginAsElectrician(t, 'offered', { emergencyAvailable: true });
    await grant(offered, ['tpl-dispatch']);
    const customer = await login(t, 'urgent-placer');

    const order = await placeOrder(t, customer, { urgentType: 'urgent', faultType: 'emergency' });
    await t.c.bus.drain();

    const [offer] = await t.db('dispatch_offers').where({ order_id: order.id });
    expect(Number(offer.electrician_id)).toBe(offered.electricianId);
    const row = await t.db('orders').where({ id: order.id }).first();
    expect(fake.subscribeSent).toEqual([
      {
        touser: await openid(offered),
        template_id: 'tpl-dispatch',
        page: `pages/electrician/order-detail/order-detail?id=${order.id}`,
        data: {
          character_string1: { value: order.orderNo },
          thing2: { value: row.title },
          time3: { value: cstTime(new Date(offer.expires_at)) },
        },
        lang: 'zh_CN',
      },
    ]);
    expect((await outbox()).map((r) => [Number(r.user_id), r.template_key, r.status])).toEqual([
      [offered.userId, 'dispatchOffer', 'sent'],
    ]);
  });

  it('when the electricians hold no grant, then an offer and a new order send nothing', async () => {
    const offered = await loginAsElectrician(t, 'offered-none', { emergencyAvailable: true });
    // Near and available (the new order's push is for both), neither holding a grant.
    await loginAsElectrician(t, 'near-none');
    await grant(offered, []);
    const customer = await login(t, 'none-placer');

    const urgent = await placeOrder(t, customer, { urgentType: 'urgent', faultType: 'emergency' });
    await placeOrder(t, customer);
    await t.c.bus.drain();

    expect(await t.db('dispatch_offers').where({ order_id: urgent.id })).toHaveLength(1);
    expect(fake.subscribeSent).toEqual([]);
    expect(fake.calls.filter((c) => c.path === '/cgi-bin/message/subscribe/send')).toEqual([]);
    expect(await outbox()).toEqual([]);
  });
});
