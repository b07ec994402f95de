// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataOf, pageRealtime } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi } from '../../../../test/live';
import { NETWORK_FAILURE, renderPage } from '../../../../test/setup';

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
      expect(bridge.navigations.at(-1)?.url).toMatch(/^\/pages\/common\/chat\/chat\?conversationId=\d+&title=/),
    );
    await page.instance.open();
    const conversations = await api.rows('conversations', { customer_id: customer.userId, kind: 'service' });
    expect(conversations).toHaveLength(1);
    const conversationId = Number(conversations[0].id);
    expect(bridge.navigations.filter((n) => n.api === 'redirectTo').map((n) => n.url)).toEqual([
      `/pages/common/chat/chat?conversationId=${conversationId}&title=${encodeURIComponent('在线客服')}`,
      `/pages/common/chat/chat?conversationId=${conversationId}&title=${encodeURIComponent('在线客服')}`,
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
});
