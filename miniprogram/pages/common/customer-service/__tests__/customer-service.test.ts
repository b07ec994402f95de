// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, dataOf, pageRealtime, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi } from '../../../../test/live';
import { NETWORK_FAILURE, renderPage, settle } from '../../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  pageRealtime().disconnect();
  vi.restoreAllMocks();
});

describe('在线客服', () => {
  it('when the customer opens customer service twice, then one conversation is created and the chat shows the staff reply', async () => {
    const customer = await api.login('help');
    const bridge = bridgeWx(api);
    const device = bridge.device('help');
    await device.signIn(customer);
    bridge.use(device);
    const page = renderPage('pages/common/customer-service/customer-service');
    page.instance.onLoad({});
    await eventually(() =>
      expect(bridge.navigations.at(-1)?.url).toMatch(/^\/pages\/common\/chat\/chat\?conversationId=\d+&service=1&title=/),
    );
    await page.instance.open();
    const conversations = await api.rows('conversations', { customer_id: customer.userId, kind: 'service' });
    expect(conversations).toHaveLength(1);
    const conversationId = Number(conversations[0].id);
    expect(bridge.navigations.filter((n) => n.api === 'redirectTo').map((n) => n.url)).toEqual([
      `/pages/common/chat/chat?conversationId=${conversationId}&service=1&title=${encodeURIComponent('在线客服')}`,
      `/pages/common/chat/chat?conversationId=${conversationId}&service=1&title=${encodeURIComponent('在线客服')}`,
    ]);

    // The same chat UI, where staff answer.
    const admin = await api.loginAsAdmin();
    await api.call('POST', `/api/chat/conversations/${conversationId}/messages`, admin.token, {
      type: 'text',
      content: '您好，请问有什么可以帮您？',
    });
    const chat = renderPage('pages/common/chat/chat');
    chat.instance.onLoad({ conversationId: String(conversationId), title: encodeURIComponent('在线客服') });
    chat.instance.onShow();
    await eventually(() => expect(dataOf(chat).loading).toBe(false));
    expect(chat.querySelector('.msg--theirs')?.dom.textContent).toContain('您好，请问有什么可以帮您？');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '在线客服' });
    // Close the chat page as WeChat would: a late "connected" must not make it fetch with the next test's phone.
    chat.instance.onUnload();
  });

  it('when the conversation cannot be opened, then the error shows with a retry and nothing navigates', async () => {
    // Signed in before the bridge exists, so this phone never has an empty session for a moment.
    const session = await api.login('help-offline');
    const bridge = bridgeWx(api);
    const device = bridge.device('help-offline');
    await device.signIn(session);
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('pages/common/customer-service/customer-service');
    page.instance.onLoad({});
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    expect(bridge.navigations, JSON.stringify(bridge.navigations)).toHaveLength(0);
    bridge.intercept = undefined;
    await page.instance.open();
    expect(bridge.navigations).toHaveLength(1);
  });

  it('the bot answers first with an article card; a vote counts, 转人工 hands over, and the agent who picks it up is named', async () => {
    const customer = await api.login('help-bot');
    const bridge = bridgeWx(api);
    const device = bridge.device('help-bot');
    await device.signIn(customer);
    bridge.use(device);
    const opened = await api.call<{ id: number }>('POST', '/api/chat/customer-service', customer.token);
    const conversationId = opened.body.data.id;

    const chat = renderPage('pages/common/chat/chat');
    chat.instance.onLoad({ conversationId: String(conversationId), service: '1', title: encodeURIComponent('在线客服') });
    chat.instance.onShow();
    await eventually(() => expect(dataOf(chat).loading).toBe(false));
    expect(chat.querySelector('.service-banner')?.dom.textContent).toContain('智能客服为您解答');
    expect(chat.querySelectorAll('.welcome .suggestion').length).toBeGreaterThan(3);

    // A question in the customer's words: the answer is an article's card, not a plain bubble.
    chat.instance.onInput({ detail: { value: '师傅上门要收多少钱' } });
    await chat.instance.onSend();
    await eventually(() => expect(chat.querySelector('.bot .bot__question')).toBeTruthy());
    const posted = bridge.requests.filter((r) => r.method === 'POST').map((r) => r.url);
    expect(posted).toContain('/api/chat/customer-service/ask');
    expect(posted).not.toContain(`/api/chat/conversations/${conversationId}/messages`);
    expect(chat.querySelector('.bot .bot__question')?.dom.textContent).toMatch(/上门费|收费|费用/);
    const stored = await api.rows('chat_messages', { conversation_id: conversationId });
    expect(stored.map((m) => m.sender_role)).toEqual(['customer', 'bot']);
    expect(dataOf(chat).draft).toBe('');

    // 有帮助 counts for that article.
    const faqId = (dataOf(chat).messages as { bot: boolean; cards: { faqId: number }[] }[]).find((m) => m.bot)!.cards[0].faqId;
    chat.querySelector('.bot .helpful')!.dispatchEvent('tap');
    await eventually(async () => expect(await api.rows('faq_feedback', { faq_id: faqId })).toHaveLength(1));
    expect(chat.querySelector('.bot .vote--on')?.dom.textContent).toContain('有帮助');

    // 转人工: the banner and a system line say so; the agent's reply names them.
    await chat.instance.onEscalate();
    await eventually(() => expect(chat.querySelector('.service-banner')?.dom.textContent).toContain('已为您转接人工客服'));
    expect(chat.querySelector('.msg--system')?.dom.textContent).toContain('已为您转接人工客服');
    expect(chat.querySelector('.shortcuts .escalate')).toBeFalsy();
    const admin = await api.loginAsAdmin();
    const claimed = await api.call<{ assigneeName: string }>(
      'POST',
      `/api/admin/chat/conversations/${conversationId}/claim`,
      admin.token,
      {},
    );
    expect(claimed.status).toBe(200);
    await api.call('POST', `/api/chat/conversations/${conversationId}/messages`, admin.token, {
      type: 'text',
      content: '您好，我是人工客服，请问订单号是多少？',
    });
    await eventually(() =>
      expect(chat.querySelector('.service-banner')?.dom.textContent).toBe(
        `人工客服「${claimed.body.data.assigneeName}」为您服务`,
      ),
    );

    // From now on the customer talks to the agent, not the bot.
    chat.instance.onInput({ detail: { value: '订单号 E123，谢谢' } });
    await chat.instance.onSend();
    await settle(1);
    expect(bridge.requests.filter((r) => r.url === '/api/chat/customer-service/ask')).toHaveLength(1);
    const last = (await api.rows('chat_messages', { conversation_id: conversationId })).at(-1)!;
    expect(last).toMatchObject({ content: '订单号 E123，谢谢', sender_role: 'customer' });
    chat.instance.onUnload();
  });

  it('a complaint filed from the conversation goes through it and the conversation links it', async () => {
    const customer = await api.login('help-complain');
    const electrician = await api.loginAsElectrician('help-complain-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'paid');
    const bridge = bridgeWx(api);
    const device = bridge.device('help-complain');
    await device.signIn(customer);
    bridge.use(device);
    const opened = await api.call<{ id: number }>('POST', '/api/chat/customer-service', customer.token);

    // 投诉订单 offers the done and paid orders, then opens the complaint form for the chosen one.
    const chat = renderPage('pages/common/chat/chat');
    chat.instance.onLoad({ conversationId: String(opened.body.data.id), service: '1' });
    chat.instance.onShow();
    await eventually(() => expect(dataOf(chat).loading).toBe(false));
    const sheet = vi.spyOn(wx, 'showActionSheet').mockImplementation(((o: WechatMiniprogram.ShowActionSheetOption) => {
      o.success?.({ tapIndex: 0, errMsg: 'showActionSheet:ok' });
    }) as never);
    await chat.instance.onComplain();
    expect((sheet.mock.calls[0][0] as { itemList: string[] }).itemList[0]).toContain(order.orderNo.slice(-6));
    expect(bridge.navigations.at(-1)?.url).toBe(`/pages/user/complaint/complaint?orderId=${order.id}&via=service`);
    chat.instance.onUnload();

    const form = renderPage('pages/user/complaint/complaint');
    form.instance.onLoad({ orderId: String(order.id), via: 'service' });
    form.instance.onShow();
    await eventually(() => expect(dataOf(form).loading).toBe(false));
    form.instance.onContentInput({ detail: { value: '师傅态度不好，修完现场没有清理' } });
    await form.instance.onSubmit();
    await settle(1);
    expect(bridge.requests.some((r) => r.url === '/api/chat/customer-service/complaint' && r.method === 'POST')).toBe(true);
    const [complaint] = await api.rows('complaints', { order_id: order.id });
    expect(complaint).toMatchObject({ status: 'open', content: '师傅态度不好，修完现场没有清理' });
    const lines = await api.rows('chat_messages', { conversation_id: opened.body.data.id });
    expect(lines.at(-1)).toMatchObject({ sender_role: 'system' });
    expect(String(lines.at(-1)!.content)).toContain(order.orderNo);
  });
});
