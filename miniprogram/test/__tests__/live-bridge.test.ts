// @vitest-environment jsdom
/// <reference types="node" />
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listOrders } from '../../services/orders';
import { bridgeWx, startLiveApi, type LiveApi } from '../live';
import { MINIPROGRAM_ROOT, NETWORK_FAILURE } from '../setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await api?.stop();
});

describe('the live bridge', () => {
  it('when two phones are signed in, then each page call carries its own session and uploads reach the API as multipart', async () => {
    const bridge = bridgeWx(api);
    const alice = bridge.device('alice');
    const bob = bridge.device('bob');
    await alice.signIn(await api.login('alice'));
    await bob.signIn(await api.login('bob'));

    bridge.use(alice);
    expect((await listOrders({ as: 'customer' })).data).toEqual([]);
    bridge.use(bob);
    await listOrders({ as: 'customer' });
    const [first, second] = bridge.requests.map((r) => r.header.Authorization);
    expect(first).toBe(`Bearer ${alice.storage.get('session.token') as string}`);
    expect(second).toBe(`Bearer ${bob.storage.get('session.token') as string}`);

    const { jpeg } = (await import(path.resolve(MINIPROGRAM_ROOT, '../api/test/fixtures/images.ts'))) as {
      jpeg(tag?: string): Buffer;
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-')), 'photo.jpg');
    fs.writeFileSync(file, jpeg('bridge'));
    const uploaded = await new Promise<{ statusCode: number; data: string }>((resolve, reject) => {
      wx.uploadFile({
        url: 'http://api.test/api/uploads',
        filePath: file,
        name: 'file',
        formData: { purpose: 'order' },
        header: { Authorization: `Bearer ${bob.storage.get('session.token') as string}` },
        success: resolve,
        fail: reject,
      });
    });
    expect(uploaded.statusCode).toBe(201);
    expect(JSON.parse(uploaded.data)).toMatchObject({ success: true, data: { mime: 'image/jpeg' } });
    expect(await api.rows('uploads', { purpose: 'order' })).toHaveLength(1);

    bridge.intercept = () => NETWORK_FAILURE;
    await expect(listOrders({ as: 'customer' })).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
