// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveWx } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { gridPhotos, NETWORK_FAILURE, stateButton, type RenderedPage } from '../../../../test/setup';
import { electricianPhone, openPage, text } from '../../__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
beforeAll(async () => {
  api = await startLiveApi();
  bridge = bridgeWx(api);
});
afterEach(() => {
  bridge.intercept = undefined;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await api?.stop();
});

const APPLY = 'pages/electrician/apply/apply';
let serial = 100;

/** A valid mainland ID number (MOD 11-2 check character), different on every call. */
function idCard(): string {
  const first17 = `33010619850101${String(serial++).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

async function userPhone(name: string) {
  const d = bridge.device(name);
  bridge.use(d);
  const s = await api.login(name);
  await d.signIn(s);
  return s;
}

const field = (page: RenderedPage, name: string, value: string) =>
  page.instance.onInput({ detail: { value }, currentTarget: { dataset: { field: name } } });

async function fillForm(page: RenderedPage, tag: string, id = idCard()) {
  field(page, 'realName', '李建国');
  field(page, 'idCard', id);
  page.instance.onCertificateChange({ detail: { value: '1' } });
  field(page, 'certificateNumber', `GZ-${tag}-${serial}`);
  field(page, 'experienceYears', '8');
  field(page, 'serviceAreas', '西湖区、拱墅区');
  page.instance.onSpecialtiesChange({ detail: { value: ['线路维修', '配电箱'] } });
  pickPhotos([await photoFile(`cert-${tag}`)]);
  await page.instance.onAddPhotos();
}

describe('电工认证', () => {
  it('when a user who never applied fills the form with a certificate photo, then the application is pending', async () => {
    const s = await userPhone('ap-new');
    const page = await openPage(APPLY);
    await eventually(() => expect(page.querySelector('.intro')).toBeTruthy());
    expect(page.querySelector('.verification')).toBeFalsy();
    await fillForm(page, 'new');
    await eventually(() => expect(gridPhotos(page, '.certificate-photos')).toBe(1));
    await page.instance.onSubmit();

    await eventually(() => expect(page.querySelector('.verification')?.dom.textContent).toBe('审核中'));
    expect(text(page)).toContain('高压电工证');
    expect(text(page)).toMatch(/\*{4,}\w{4}/);
    const [row] = await api.rows('electricians', { user_id: s.userId });
    expect(row).toMatchObject({
      verification_status: 'pending',
      real_name: '李建国',
      certificate_type: 'high_voltage',
      experience_years: 8,
    });
  });

  it('when a required field is wrong, then the form says so and nothing is sent', async () => {
    const s = await userPhone('ap-bad');
    const page = await openPage(APPLY);
    await eventually(() => expect(page.querySelector('.submit')).toBeTruthy());
    await fillForm(page, 'bad');
    field(page, 'realName', 'X');
    const sent = bridge.requests.length;
    await page.instance.onSubmit();
    await eventually(() => expect(page.querySelector('.form-error')?.dom.textContent).toBe('姓名为 2–20 个汉字、字母或 ·'));
    expect(bridge.requests.slice(sent)).toEqual([]);
    expect(await api.rows('electricians', { user_id: s.userId })).toEqual([]);
  });

  it('when the application was rejected, then the note shows and reapplying sends it for review again', async () => {
    const s = await userPhone('ap-rejected');
    const first = await openPage(APPLY);
    await eventually(() => expect(first.querySelector('.submit')).toBeTruthy());
    await fillForm(first, 'rej');
    await first.instance.onSubmit();
    await eventually(() => expect(first.querySelector('.verification')?.dom.textContent).toBe('审核中'));
    const [row] = await api.rows('electricians', { user_id: s.userId });
    const admin = await api.loginAsAdmin();
    const verdict = await api.call('POST', `/api/admin/electricians/${String(row.id)}/verify`, admin.token, {
      approved: false,
      note: '证书照片模糊，请重新拍摄',
    });
    expect(verdict.status).toBe(200);

    const page = await openPage(APPLY);
    await eventually(() =>
      expect(page.querySelector('.rejection')?.dom.textContent).toBe('未通过原因：证书照片模糊，请重新拍摄'),
    );
    expect(page.querySelector('.verification')?.dom.textContent).toBe('未通过');
    page.instance.onReapply();
    await eventually(() => expect(page.querySelector('.submit')?.dom.textContent?.trim()).toBe('重新提交审核'));
    field(page, 'idCard', idCard());
    pickPhotos([await photoFile('cert-rej-2')]);
    await page.instance.onAddPhotos();
    await page.instance.onSubmit();
    await eventually(() => expect(page.querySelector('.verification')?.dom.textContent).toBe('审核中'));
    const [again] = await api.rows('electricians', { user_id: s.userId });
    expect(again.verification_status).toBe('pending');
  });

  it('when the electrician is approved, then the status says so and leads to the hall', async () => {
    await electricianPhone(api, bridge, 'ap-ok');
    const page = await openPage(APPLY);
    await eventually(() => expect(page.querySelector('.verification')?.dom.textContent).toBe('已认证'));
    expect(page.querySelector('.submit')).toBeFalsy();
    page.instance.onHall();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'switchTab', url: '/pages/hall/hall' });
  });

  it('when the status cannot be loaded, then the error shows and retry loads it', async () => {
    await userPhone('ap-net');
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(APPLY);
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.submit')).toBeTruthy());
  });
});
