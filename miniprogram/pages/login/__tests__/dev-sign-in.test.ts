// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { useLiveApi } from '../../../test/journey';
import { bridgeWx, eventually, type LiveApi } from '../../../test/live';
import { renderPage, settle } from '../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };

function setEnv(envVersion: string) {
  vi.spyOn(wx, 'getAccountInfoSync').mockReturnValue({
    miniProgram: { appId: 'touristappid', envVersion, version: '' },
  } as never);
}

async function open(name: string) {
  const bridge = bridgeWx(api);
  bridge.use(bridge.device(name));
  g.getCurrentPages = () => [{ route: 'pages/login/login' }];
  const page = renderPage('pages/login/login');
  page.instance.onLoad({});
  await settle(1);
  return { bridge, page };
}

describe('开发版登录', () => {
  it('when a develop build picks nothing but has not consented, then nothing is sent; after consenting, a typed name signs in as dev-<name> and the customer lands home', async () => {
    setEnv('develop');
    const { bridge, page } = await open('dev-typed');
    expect(page.querySelector('.dev-sign-in')).toBeTruthy();
    page.querySelector('.dev-name-input')!.dispatchEvent('input', { detail: { value: 'newcomer' } });
    await settle(1);
    page.querySelector('.dev-name-login')!.dispatchEvent('tap');
    await settle();
    expect(bridge.requests).toHaveLength(0);
    expect(page.dom.textContent).toContain('请先阅读并同意《用户协议》和《隐私政策》');

    page.querySelector('.consent')!.dispatchEvent('tap');
    await settle(1);
    page.querySelector('.dev-name-login')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.phone-button')).toBeTruthy());
    expect(bridge.requests[0]).toMatchObject({ url: '/api/auth/wechat-login', data: { code: 'dev-newcomer' } });
    expect(await api.rows('users', { openid: 'dev-newcomer' })).toHaveLength(1);
    expect(bridge.device('dev-typed').storage.get('consent.version')).toBeTruthy();
    page.querySelector('.skip')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations).toEqual([{ api: 'switchTab', url: '/pages/index/index' }]);
  });

  it('when an approved electrician account is picked, then the app lands in the hall', async () => {
    setEnv('develop');
    await api.loginAsElectrician('wang');
    const { bridge, page } = await open('dev-wang');
    page.querySelector('.consent')!.dispatchEvent('tap');
    await settle(1);
    page.querySelector('.dev-account--wang')!.dispatchEvent('tap');
    // The harness's electrician has no phone yet: the page offers binding first.
    await eventually(() => expect(page.querySelector('.skip')).toBeTruthy());
    page.querySelector('.skip')!.dispatchEvent('tap');
    await eventually(() => expect(bridge.navigations).toEqual([{ api: 'switchTab', url: '/pages/hall/hall' }]));
    expect(bridge.requests[0]).toMatchObject({ data: { code: 'dev-wang' } });
  });

  it('when the build is trial or release, then no dev sign-in shows', async () => {
    for (const env of ['trial', 'release']) {
      setEnv(env);
      const { page } = await open(`dev-${env}`);
      expect(page.querySelector('.dev-sign-in')).toBeFalsy();
      expect(page.querySelector('.wechat-login')).toBeTruthy();
    }
  });
});
