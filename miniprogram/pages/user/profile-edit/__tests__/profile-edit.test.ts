// @vitest-environment jsdom
/// <reference types="node" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataOf, useLiveApi } from '../../../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../../../test/live';
import { photoFile } from '../../../../test/photos';
import { API_BASE, NETWORK_FAILURE, stateButton, renderPage, settle } from '../../../../test/setup';

let api: LiveApi;
useLiveApi((started) => {
  api = started;
});

const PAGE = 'pages/user/profile-edit/profile-edit';

/** Opens the page on `name`'s phone, signed in as `session` (the page has no onShow: it loads once). */
async function open(name: string, session: LiveSession) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage(PAGE);
  page.instance.onLoad({});
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { bridge, page };
}

type Page = Awaited<ReturnType<typeof open>>['page'];
const text = (page: Page, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';
/** The WeChat events of the form, as the components send them. */
const chooseAvatar = (page: Page, tempFilePath: string) =>
  page.querySelector('.avatar-picker')!.dispatchEvent('chooseavatar', { detail: { avatarUrl: tempFilePath } });
const typeNickname = (page: Page, value: string) =>
  page.querySelector('.nickname-input')!.dispatchEvent('input', { detail: { value } });
const submit = (page: Page, nickname: string) =>
  page.querySelector('.profile-form')!.dispatchEvent('submit', { detail: { value: { nickname } } });

describe('编辑资料', () => {
  it('when the customer chooses an avatar and a nickname and saves, then /api/users/me returns them and the profile page shows them', async () => {
    const customer = await api.login('editor');
    const { bridge, page } = await open('editor', customer);
    const before = (await api.call<{ nickname: string | null }>('GET', '/api/users/me', customer.token)).body.data;
    expect(dataOf(page).nickname).toBe(before.nickname ?? '');

    chooseAvatar(page, await photoFile('avatar-editor'));
    await eventually(() => expect(dataOf(page).avatarUploadId).toBeGreaterThan(0));
    const uploadId = dataOf(page).avatarUploadId as number;
    expect(dataOf(page).avatarUrl).toMatch(new RegExp(`^${API_BASE}/api/files/${uploadId}\\?exp=\\d+&sig=`));
    const [upload] = await api.rows('uploads', { id: uploadId });
    expect(upload).toMatchObject({ owner_id: customer.userId, purpose: 'avatar', attached_at: null });

    typeNickname(page, '  修理达人  ');
    await settle(1);
    submit(page, '  修理达人  ');
    // A second tap while saving sends nothing more.
    await settle(1);
    expect(dataOf(page).saving).toBe(true);
    expect(page.querySelector('.save')?.dom.textContent).toContain('保存中');
    await page.instance.onSave();
    await eventually(() => expect(bridge.navigations).toEqual([{ api: 'navigateBack', url: '' }]));

    const puts = bridge.requests.filter((r) => r.url === '/api/users/me' && r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.data).toEqual({ nickname: '修理达人', avatarUploadId: uploadId });
    expect(bridge.toasts).toContain('已保存');
    expect(dataOf(page).saving).toBe(false);
    const after = await api.call<{ nickname: string; avatarUrl: string }>('GET', '/api/users/me', customer.token);
    expect(after.body.data.nickname).toBe('修理达人');
    expect(after.body.data.avatarUrl).toMatch(new RegExp(`^/api/files/${uploadId}\\?exp=`));
    const image = await fetch(api.url + after.body.data.avatarUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const [attached] = await api.rows('uploads', { id: uploadId });
    expect(attached).toMatchObject({ resource_type: 'user', resource_id: customer.userId });

    // Back on 我的: onShow re-reads the profile.
    const profile = renderPage('components/customer-me/index');
    profile.instance.onShow();
    await eventually(() => expect(text(profile, '.nickname')).toBe('修理达人'));
    const shown = (dataOf(profile).user as { avatarUrl: string }).avatarUrl;
    expect(shown).toMatch(new RegExp(`^${API_BASE}/api/files/${uploadId}\\?exp=`));
    profile.instance.onEditProfile();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/pages/user/profile-edit/profile-edit' });
  });

  it('when the nickname is empty after trimming, then a toast says so and nothing is sent', async () => {
    const customer = await api.login('blank-name');
    const { bridge, page } = await open('blank-name', customer);
    const sent = bridge.requests.length;

    typeNickname(page, '   ');
    await settle(1);
    submit(page, '   ');
    await settle(2);
    await page.instance.onSave();

    expect(bridge.requests).toHaveLength(sent);
    expect(bridge.toasts).toEqual(['请填写昵称', '请填写昵称']);
    expect(bridge.navigations).toEqual([]);
    expect(dataOf(page).saving).toBe(false);
  });

  it('when the nickname is longer than 64 characters, then a toast says so and nothing is sent', async () => {
    const customer = await api.login('long-name');
    const { bridge, page } = await open('long-name', customer);
    const sent = bridge.requests.length;

    await page.instance.onSave({ detail: { value: { nickname: '长'.repeat(65) } } });

    expect(bridge.requests).toHaveLength(sent);
    expect(bridge.toasts).toEqual(['昵称不能超过 64 个字']);
  });

  it('when the chosen avatar is not an image, then the API message is a toast and saving keeps the old avatar', async () => {
    const customer = await api.login('bad-avatar');
    const { bridge, page } = await open('bad-avatar', customer);
    const notAnImage = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-avatar-')), 'avatar.jpg');
    fs.writeFileSync(notAnImage, 'not really a picture');

    chooseAvatar(page, notAnImage);
    await eventually(() => expect(bridge.toasts).toHaveLength(1));
    await eventually(() => expect(dataOf(page).uploading).toBe(false));
    expect(dataOf(page).avatarUploadId).toBe(0);

    await page.instance.onSave({ detail: { value: { nickname: '小张' } } });

    const put = bridge.requests.find((r) => r.method === 'PUT');
    expect(put?.data).toEqual({ nickname: '小张' });
    const [row] = await api.rows('users', { id: customer.userId });
    expect(row).toMatchObject({ nickname: '小张', avatar_upload_id: null });
  });

  it('when the profile cannot be loaded, then the error shows and retry loads it', async () => {
    const customer = await api.login('edit-offline');
    const bridge = bridgeWx(api);
    const device = bridge.device('edit-offline');
    await device.signIn(customer);
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage(PAGE);
    page.instance.onLoad({});
    await eventually(() => expect(dataOf(page).loading).toBe(false));
    expect(text(page, '.load-error')).toContain('网络异常，请稍后重试');

    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.nickname-input')).not.toBeNull());
  });
});
