// @vitest-environment jsdom
/// <reference types="node" />
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveWx } from '../../test/live';
import { createRealtime, REALTIME_TIMING, type Realtime } from '../realtime';
import type { NewOrderPush } from '../realtime-events';

let api: LiveApi;
let bridge: LiveWx;
const clients: Realtime[] = [];

beforeAll(async () => {
  api = await startLiveApi();
  bridge = bridgeWx(api);
  // Quick retries keep the reconnect tests short; the backoff shape is the same.
  REALTIME_TIMING.reconnectDelayMs = 100;
});
afterEach(() => {
  for (const rt of clients.splice(0)) rt.disconnect();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await api?.stop();
});

function client(): Realtime {
  const rt = createRealtime();
  clients.push(rt);
  return rt;
}

const connected = (rt: Realtime) => eventually(() => expect(rt.status()).toBe('connected'));

/** A customer order near the electricians' default location (West Lake). */
async function placeOrder(customer: { token: string }, description = '客厅插座冒火花，总闸跳了两次') {
  const res = await api.call<{ id: number }>('POST', '/api/orders', customer.token, {
    contactName: '张丽',
    contactPhone: '13812345678',
    address: '西湖区文三路 90 号 3 幢 502',
    region: '杭州市西湖区',
    latitude: 30.2612,
    longitude: 120.1335,
    description,
    urgentType: 'normal',
    faultType: 'circuit',
  });
  expect(res.status).toBe(201);
  return res.body.data;
}

function collect(rt: Realtime) {
  const pushes: NewOrderPush[] = [];
  rt.on('new-order', (p) => void pushes.push(p));
  return pushes;
}

describe('realtime client against the live Socket.IO server', () => {
  it('when the stored token is refused and the refresh token is good, then it refreshes through request.ts and connects with the new token', async () => {
    const d = bridge.device('rt-refresh');
    bridge.use(d);
    await d.signIn(await api.login('rt-refresh'));
    const good = d.storage.get('session.refreshToken') as string;
    d.storage.set('session.token', 'not-a-jwt');
    const before = bridge.sockets.length;

    const rt = client();
    rt.connect();
    await connected(rt);

    const fresh = d.storage.get('session.token') as string;
    expect(fresh).not.toBe('not-a-jwt');
    expect(d.storage.get('session.refreshToken')).not.toBe(good);
    const [refused, accepted] = bridge.sockets.slice(before);
    expect(refused.sent[0]).toBe(`40${JSON.stringify({ token: 'not-a-jwt' })}`);
    expect(accepted.sent[0]).toBe(`40${JSON.stringify({ token: fresh })}`);
    await expect(rt.emit('heartbeat', {})).resolves.toMatchObject({ at: expect.any(String) });
  });

  it('when the token is refused and the session cannot be refreshed, then it stops, ends the session and sends nothing more', async () => {
    const d = bridge.device('rt-bad');
    bridge.use(d);
    d.storage.set('session.token', 'not-a-jwt');
    d.storage.set('session.refreshToken', 'not-a-refresh-token');
    const before = bridge.sockets.length;
    const statuses: string[] = [];

    const rt = client();
    rt.onStatus((s) => void statuses.push(s));
    rt.connect();
    await eventually(() => expect(bridge.navigations).toContainEqual({ api: 'reLaunch', url: '/pages/login/login' }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(rt.status()).toBe('disconnected');
    expect(statuses).toEqual(['connecting', 'disconnected']);
    expect(bridge.sockets.slice(before)).toHaveLength(1);
    expect(d.storage.has('session.token')).toBe(false);
    await expect(rt.emit('heartbeat', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('when events are emitted, then the server acknowledges them: heartbeat, a stored location, and refusals as ApiError', async () => {
    const e = await api.loginAsElectrician('rt-acks');
    const d = bridge.device('rt-acks');
    bridge.use(d);
    await d.signIn(e);
    const rt = client();
    const acks: string[] = [];
    rt.on('heartbeat_ack', (p) => void acks.push(p.at));
    rt.connect();
    await connected(rt);

    const beat = (await rt.emit('heartbeat', {})) as { at: string };
    expect(Date.parse(beat.at)).not.toBeNaN();
    await eventually(() => expect(acks).toEqual([beat.at]));

    await api.advance(60_000); // past the server's location write throttle
    await expect(rt.emit('update_location', { latitude: 30.3, longitude: 120.2 })).resolves.toEqual({ stored: true });
    const [row] = await api.rows('electricians', { id: e.electricianId });
    expect([row.current_latitude, row.current_longitude].map(Number)).toEqual([30.3, 120.2]);

    await expect(rt.emit('update_location', { latitude: 91, longitude: 120 })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'VALIDATION_FAILED',
    });
    const [unchanged] = await api.rows('electricians', { id: e.electricianId });
    expect(Number(unchanged.current_latitude)).toBe(30.3);

    const customer = bridge.device('rt-acks-customer');
    bridge.use(customer);
    await customer.signIn(await api.login('rt-acks-customer'));
    const rc = client();
    rc.connect();
    await connected(rc);
    await expect(rc.emit('update_location', { latitude: 30, longitude: 120 })).rejects.toMatchObject({ code: 'NOT_ELIGIBLE' });
  });

  it('when one handler throws, then the other handlers still get the push and the connection stays up', async () => {
    const d = bridge.device('rt-throw');
    bridge.use(d);
    await d.signIn(await api.login('rt-throw'));
    const rt = client();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    rt.on('heartbeat_ack', () => {
      throw new Error('page bug');
    });
    rt.on('heartbeat_ack', (p) => void seen.push(p.at));
    rt.connect();
    await connected(rt);
    await rt.emit('heartbeat', {});
    await eventually(() => expect(seen).toHaveLength(1));
    expect(logged).toHaveBeenCalledWith('realtime handler for heartbeat_ack failed', expect.any(Error));
    await expect(rt.emit('heartbeat', {})).resolves.toMatchObject({ at: expect.any(String) });
    expect(rt.status()).toBe('connected');
    logged.mockRestore();
  });

  it("when the server emits with an acknowledgement, then the handler's result is sent back as the ack", async () => {
    // The API asks for no client acks yet, so a bare Socket.IO 4 server (the library the API runs) plays the server.
    const httpServer = http.createServer();
    const io = new Server(httpServer);
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = httpServer.address() as AddressInfo;
    const tokens: unknown[] = [];
    const answered = new Promise<unknown>((resolve) => {
      io.on('connection', (socket) => {
        tokens.push(socket.handshake.auth);
        void socket
          .timeout(2_000)
          .emitWithAck('order-taken' as never, { orderId: 7 } as never)
          .then(resolve);
      });
    });
    const d = bridge.device('rt-server-ack');
    bridge.use(d);
    d.storage.set('session.token', 'token-for-bare-server');
    const app = globalThis as unknown as { getApp: () => IAppOption };
    const getApp = app.getApp;
    app.getApp = () => ({ globalData: { apiBase: `http://127.0.0.1:${port}` } });
    try {
      const rt = client();
      rt.on('order-taken', (p) => ({ seen: p.orderId }) as never);
      rt.connect();
      await expect(answered).resolves.toEqual({ seen: 7 });
      expect(tokens).toEqual([{ token: 'token-for-bare-server' }]);
      rt.disconnect();
    } finally {
      app.getApp = getApp;
      await io.close();
    }
  });

  it('when a customer places an order nearby, then the connected electrician receives new-order with the masked hall view', async () => {
    const e = await api.loginAsElectrician('rt-push');
    const d = bridge.device('rt-push');
    bridge.use(d);
    await d.signIn(e);
    const rt = client();
    const pushes = collect(rt);
    rt.connect();
    await connected(rt);

    const order = await placeOrder(await api.login('rt-push-customer'));

    await eventually(() => expect(pushes.map((p) => p.orderId)).toContain(order.id));
    const push = pushes.find((p) => p.orderId === order.id)!;
    expect(push.orderInfo).toMatchObject({ id: order.id, status: 'pending', contactPhone: '138****5678' });
    expect(push.orderInfo).not.toHaveProperty('address');
    expect(push.orderInfo.distanceKm).toEqual(expect.any(Number));
  });

  it('when the server drops the connection, then the client reconnects, sends what was emitted meanwhile, and pushes flow again', async () => {
    const e = await api.loginAsElectrician('rt-drop');
    const d = bridge.device('rt-drop');
    bridge.use(d);
    await d.signIn(e);
    const rt = client();
    const statuses: string[] = [];
    rt.onStatus((s) => void statuses.push(s));
    const pushes = collect(rt);
    rt.connect();
    await connected(rt);
    const sockets = bridge.sockets.length;

    expect(await api.dropSockets()).toBeGreaterThan(0);
    await eventually(() => expect(statuses).toContain('disconnected'));
    const buffered = rt.emit('heartbeat', {});
    await connected(rt);
    await expect(buffered).resolves.toMatchObject({ at: expect.any(String) });
    expect(bridge.sockets.length).toBeGreaterThan(sockets);
    expect(statuses.slice(0, 4)).toEqual(['connecting', 'connected', 'disconnected', 'connecting']);

    const order = await placeOrder(await api.login('rt-drop-customer'));
    await eventually(() => expect(pushes.map((p) => p.orderId)).toContain(order.id));
  });

  it('when the access token expires while connected, then the server disconnects, the client refreshes and re-authenticates with the new token', async () => {
    const e = await api.loginAsElectrician('rt-expire');
    const d = bridge.device('rt-expire');
    bridge.use(d);
    await d.signIn(e);
    const rt = client();
    const pushes = collect(rt);
    rt.connect();
    await connected(rt);
    const before = bridge.sockets.length;

    await api.advance(2 * 60 * 60 * 1000 + 1000);
    await expect(rt.emit('heartbeat', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await eventually(() => expect(d.storage.get('session.token')).not.toBe(e.token));
    await connected(rt);
    const fresh = d.storage.get('session.token') as string;
    expect(bridge.sockets.slice(before).at(-1)?.sent[0]).toBe(`40${JSON.stringify({ token: fresh })}`);

    const customer = await api.login('rt-expire-customer');
    const order = await placeOrder(customer);
    await eventually(() => expect(pushes.map((p) => p.orderId)).toContain(order.id));
  });

  it('when the server does not answer an emit in time, then it rejects with TIMEOUT; a frame buffered that long is never sent', async () => {
    const d = bridge.device('rt-timeout');
    bridge.use(d);
    await d.signIn(await api.login('rt-timeout'));
    const rt = client();
    const statuses: string[] = [];
    rt.onStatus((s) => void statuses.push(s));
    rt.connect();
    await connected(rt);
    const saved = { ...REALTIME_TIMING };
    Object.assign(REALTIME_TIMING, { ackTimeoutMs: 50, reconnectDelayMs: 1_000 });
    try {
      // The server has no handler for this event, so no acknowledgement ever comes.
      await expect(rt.emit('no_such_event' as 'heartbeat', {})).rejects.toMatchObject({ code: 'TIMEOUT' });

      await api.dropSockets();
      await eventually(() => expect(statuses).toContain('disconnected'));
      await expect(rt.emit('heartbeat', {})).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      Object.assign(REALTIME_TIMING, saved);
    }
    await connected(rt);
    await expect(rt.emit('heartbeat', {})).resolves.toBeDefined();
    const frames = bridge.sockets.at(-1)!.sent.filter((f) => f.startsWith('42'));
    expect(frames).toHaveLength(1);
  });
});
