// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { createRealtime } from '../../../../services/realtime';
import { advanceOrder, dataOf, pageModule, pageRealtime, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveSession, type LiveWx } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { renderPage, settle } from '../../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
const extraClients: { disconnect(): void }[] = [];
/** Chat pages this test opened: closed after it, so a late socket event cannot reach the next test. */
const openPages: { instance: { onUnload(): void } }[] = [];
afterEach(() => {
  openPages.splice(0).forEach((p) => p.instance.onUnload());
  pageRealtime().disconnect();
  extraClients.splice(0).forEach((c) => c.disconnect());
  vi.restoreAllMocks();
});

/** A customer and an electrician on one accepted order, with its conversation. */
async function orderChat(tag: string) {
  const customer = await api.login(`${tag}-c`);
  const electrician = await api.loginAsElectrician(`${tag}-e`);
  const order = await placeOrder(api, customer);
  await advanceOrder(api, order.id, electrician, customer, 'accepted');
  // The conversation opens after the grab commits (domain bus): wait for it.
  let conversationId = 0;
  await eventually(async () => {
    const list = await api.call<{ id: number; orderId: number }[]>('GET', '/api/chat/conversations', customer.token);
    conversationId = list.body.data.find((c) => c.orderId === order.id)?.id ?? 0;
    expect(conversationId).toBeGreaterThan(0);
  });
  return { customer, electrician, order, conversationId };
}

async function open(bridge: LiveWx, name: string, session: LiveSession, conversationId: number) {
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage('pages/common/chat/chat');
  openPages.push(page as never);
  page.instance.onLoad({ conversationId: String(conversationId) });
  page.instance.onShow();
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { page, device };
}

/** The other phone's own socket (a second realtime client, connected with that device's session). */
async function otherPhone(bridge: LiveWx, name: string, session: LiveSession) {
  const back = bridge.current();
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const client = pageModule<{ createRealtime: typeof createRealtime }>('services/realtime.ts').createRealtime();
  extraClients.push(client);
  client.connect();
  bridge.use(back);
  await eventually(() => expect(client.status()).toBe('connected'));
  return client;
}

const say = (api: LiveApi, who: LiveSession, conversationId: number, content: string) =>
  api.call<{ id: number }>('POST', `/api/chat/conversations/${conversationId}/messages`, who.token, { type: 'text', content });

describe('聊天', () => {
  it('when both sides talk, then messages show live, the reply is stored, and read receipts and typing show', async () => {
    const { customer, electrician, conversationId } = await orderChat('talk');
    await say(api, electrician, conversationId, '您好，我二十分钟后到');
    const bridge = bridgeWx(api);
    const { page } = await open(bridge, 'talk-c', customer, conversationId);
    expect(page.dom.textContent).toContain('您好，我二十分钟后到');
    expect(page.dom.textContent).toContain('工单状态更新');
    // Opening the conversation reads it.
    await eventually(async () => {
      const [p] = await api.rows('conversation_participants', { conversation_id: conversationId, user_id: customer.userId });
      expect(Number(p.last_read_message_id)).toBeGreaterThan(0);
    });
    await eventually(() => expect(pageRealtime().status()).toBe('connected'));
    const peer = await otherPhone(bridge, 'talk-e', electrician);

    page.instance.onInput({ detail: { value: '好的，麻烦带上空开' } });
    await page.instance.onSend();
    await settle(1);
    const rows = await api.rows('chat_messages', { conversation_id: conversationId, sender_id: customer.userId });
    expect(rows.map((r) => r.content)).toEqual(['好的，麻烦带上空开']);
    expect(page.querySelector('.msg--mine')?.dom.textContent).toContain('未读');

    await api.call('POST', `/api/chat/conversations/${conversationId}/read`, electrician.token, { upToMessageId: rows[0].id });
    await eventually(() => expect(page.querySelector('.msg--mine .receipt')?.dom.textContent).toBe('已读'));

    await peer.emit('typing', { conversationId });
    await eventually(() => expect(page.querySelector('.typing')?.dom.textContent).toBe('对方正在输入…'));

    await say(api, electrician, conversationId, '收到');
    await eventually(() => expect(page.dom.textContent).toContain('收到'));
    expect(page.querySelector('.typing')).toBeFalsy();
  });

  it('when the customer sends a photo, then it is uploaded for chat and shown as an image message', async () => {
    const { customer, conversationId } = await orderChat('photo');
    const bridge = bridgeWx(api);
    const { page } = await open(bridge, 'photo-c', customer, conversationId);
    pickPhotos([await photoFile('chat-photo')]);
    await page.instance.onSendImage();
    await settle(1);
    const [upload] = await api.rows('uploads', { purpose: 'chat', owner_id: customer.userId });
    const [message] = await api.rows('chat_messages', { conversation_id: conversationId, type: 'image' });
    expect(message.content).toBe(String(upload.id));
    expect(page.querySelector('.msg--mine .msg__image')).toBeTruthy();
  });

  it('when the history is long, then the newest page shows first and older messages load with the before cursor', async () => {
    const { customer, electrician, conversationId } = await orderChat('long');
    for (let i = 1; i <= 24; i += 1) {
      // The API lets one sender post 20 messages per 10 s: move its clock along halfway.
      if (i === 13) await api.advance(11_000);
      expect((await say(api, electrician, conversationId, `第${i}条`)).status).toBe(201);
    }
    const bridge = bridgeWx(api);
    const { page } = await open(bridge, 'long-c', customer, conversationId);
    expect(page.dom.textContent).toContain('第24条');
    expect(page.dom.textContent).not.toContain('第4条');
    expect(page.querySelector('.older')?.dom.textContent).toBe('查看更早的消息');
    const oldest = (dataOf(page).messages as { id: number }[])[0].id;
    await page.instance.onLoadOlder();
    expect(bridge.requests.some((r) => r.url.includes(`/messages?before=${oldest}&limit=20`))).toBe(true);
    expect(page.dom.textContent).toContain('第4条');
    expect(page.dom.textContent).toContain('第1条');
    const ids = (dataOf(page).messages as { id: number }[]).map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(page.querySelector('.older')).toBeFalsy();
  });

  it('when the conversation is empty, then the page invites a first message', async () => {
    const customer = await api.login('empty-chat');
    const service = await api.call<{ id: number }>('POST', '/api/chat/customer-service', customer.token);
    const bridge = bridgeWx(api);
    const { page } = await open(bridge, 'empty-chat', customer, service.body.data.id);
    expect(page.querySelector('.empty')?.dom.textContent).toBe('还没有消息，打个招呼吧');
  });

  it("when the conversation is someone else's, then the error state shows and nothing can be sent", async () => {
    const { conversationId } = await orderChat('private');
    const stranger = await api.login('stranger');
    const bridge = bridgeWx(api);
    const { page } = await open(bridge, 'stranger', stranger, conversationId);
    expect(page.querySelector('.load-error')?.dom.textContent?.length).toBeGreaterThan(2);
    expect(page.querySelector('.composer')).toBeFalsy();
  });
});
