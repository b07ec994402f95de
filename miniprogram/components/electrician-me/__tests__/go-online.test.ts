// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { ENVIRONMENTS } from '../../../config/index';
import { pageModule } from '../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../test/live';
import { settle } from '../../../test/setup';
import { electricianPhone, openPage, useLiveBridge } from '../../../pages/electrician/__tests__/support';

// The API configured with the electricians' templates, so that the grants the page posts are kept.
const TEMPLATES = {
  newOrder: { templateId: 'tpl-new-order', page: 'pages/hall/hall', fields: { character_string1: 'orderNo' } },
  dispatchOffer: { templateId: 'tpl-dispatch', fields: { character_string1: 'orderNo' } },
  orderCancelled: { templateId: 'tpl-cancelled', fields: { character_string1: 'orderNo' } },
};

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge(
  (a, b) => {
    api = a;
    bridge = b;
  },
  { env: { WECHAT_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) } },
);

/** The component's own config module (loaded through Node's require); simulate's wx says develop. */
const develop = pageModule<{ ENVIRONMENTS: typeof ENVIRONMENTS }>('config/index.ts').ENVIRONMENTS.develop;
const IDS = {
  newOrder: 'tpl-new-order',
  dispatchOffer: 'tpl-dispatch',
  orderCancelled: 'tpl-cancelled',
  // Configured in the mini-program but not asked for when going online.
  quoteReady: 'tpl-quote',
  complaintUpdate: 'tpl-complaint',
};

describe('电工上线时的订阅消息', () => {
  it('when the electrician switches to 接单中, then WeChat is asked for the new-order, dispatch and cancellation templates and the grants are kept', async () => {
    Object.assign(develop.subscribeTemplates, IDS);
    const subscribe = vi.spyOn(wx, 'requestSubscribeMessage').mockImplementation(((
      opts: WechatMiniprogram.RequestSubscribeMessageOption,
    ) => {
      opts.success?.({
        errMsg: 'requestSubscribeMessage:ok',
        'tpl-new-order': 'accept',
        'tpl-dispatch': 'accept',
        'tpl-cancelled': 'reject',
      } as never);
    }) as never);
    try {
      const e = await electricianPhone(api, bridge, 'online-e', { workStatus: 'busy' });
      const page = await openPage('components/electrician-me/index');
      await eventually(() => expect(page.querySelector('.work-status')?.dom.textContent).toBe('忙碌'));
      const picker = page.querySelector('.work-status-picker')!;

      // Going to 休息 asks for nothing.
      picker.dispatchEvent('change', { detail: { value: '2' } });
      await eventually(async () =>
        expect((await api.rows('electricians', { id: e.electricianId }))[0].work_status).toBe('offline'),
      );
      expect(subscribe).not.toHaveBeenCalled();

      picker.dispatchEvent('change', { detail: { value: '0' } });
      await eventually(async () =>
        expect((await api.rows('electricians', { id: e.electricianId }))[0].work_status).toBe('available'),
      );
      expect(subscribe).toHaveBeenCalledTimes(1);
      expect(subscribe.mock.calls[0]![0].tmplIds).toEqual(['tpl-new-order', 'tpl-dispatch', 'tpl-cancelled']);
      await eventually(async () => {
        const rows = await api.rows('subscriptions', { user_id: e.userId });
        expect(Object.fromEntries(rows.map((r) => [r.template_id, Number(r.remaining)]))).toEqual({
          'tpl-new-order': 1,
          'tpl-dispatch': 1,
        });
      });
      await settle(1);
      expect(page.querySelector('.work-status')?.dom.textContent).toBe('接单中');
    } finally {
      Object.assign(develop.subscribeTemplates, Object.fromEntries(Object.keys(IDS).map((k) => [k, ''])));
    }
  });
});
