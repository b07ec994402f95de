/// <reference types="node" />
/**
 * Page tests against the real API: starts the API (test database, port 0) and answers the pages'
 * wx.request / wx.uploadFile from it over HTTP. Several "phones" (devices) share one API: each has
 * its own wx storage (so its own session), and `use(device)` switches which phone the next page
 * calls act on — a customer and an electrician can play one journey in one test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { vi } from 'vitest';
import WebSocket from 'ws';
import { API_BASE, MINIPROGRAM_ROOT, NETWORK_FAILURE, type FakeRequest, type FakeResponse } from './setup';

const repo = path.resolve(MINIPROGRAM_ROOT, '..');

export interface LiveSession {
  token: string;
  refreshToken: string;
  userId: number;
  auth: { Authorization: string };
}

type Row = Record<string, unknown>;

export interface LiveApi {
  /** http://127.0.0.1:<port> of the running API (HTTP and Socket.IO). */
  url: string;
  /** Test setup through the API's own harness (in the API process). */
  login(name: string): Promise<LiveSession>;
  loginAsElectrician(name: string, opts?: Record<string, unknown>): Promise<LiveSession & { electricianId: number }>;
  loginAsAdmin(): Promise<LiveSession>;
  /** Database rows of `table` matching `where`, by id (for assertions). */
  rows(table: string, where?: Row): Promise<Row[]>;
  /** Moves the API's hand-moved clock. */
  advance(ms: number): Promise<string>;
  /** Runs the periodic jobs once, as the scheduler would. */
  runJobs(): Promise<void>;
  /** Cuts every open WebSocket connection on the server side (a restart or a dropped link); resolves with how many. */
  dropSockets(): Promise<number>;
  /** A JSON call straight to the API (not through a page), e.g. to set up or check state. */
  call<T = unknown>(
    method: string,
    apiPath: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: { success: boolean; data: T; error?: { code: string; message: string } } }>;
  stop(): Promise<void>;
}

/**
 * Starts the real API (api/test/live-server.ts) in a child process on a fresh test database
 * (SQLite, or MariaDB under `npm run test:mysql`): jsdom's globals, which the pages need, would
 * break Node libraries inside this process. `env` is added to the API's environment (e.g. the fake
 * WeChat Pay's WXPAY_* for real pay mode).
 */
export async function startLiveApi(options: { env?: Record<string, string> } = {}): Promise<LiveApi> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'api/test/live-server.ts')], {
    cwd: repo,
    env: { ...process.env, LIVE_API_ENV: JSON.stringify(options.env ?? {}) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`live API exited with ${code}`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { url?: string; id?: number; ok?: boolean; result?: unknown; error?: string };
      if (msg.url) return resolve(msg.url);
      const waiter = pending.get(msg.id ?? -1);
      if (!waiter) return;
      pending.delete(msg.id!);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new Error(msg.error));
    });
  });
  const rpc = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  return {
    url,
    login: (name) => rpc('login', name),
    loginAsElectrician: (name, opts = {}) => rpc('loginAsElectrician', name, opts),
    loginAsAdmin: () => rpc('loginAsAdmin'),
    rows: (table, where = {}) => rpc('rows', table, where),
    advance: (ms) => rpc('advance', ms),
    runJobs: () => rpc('runJobs'),
    dropSockets: () => rpc('dropSockets'),
    async call(method, apiPath, token, body) {
      const res = await fetch(url + apiPath, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}

export interface Device {
  name: string;
  storage: Map<string, unknown>;
  /** Stores a session as the login page would (tokens and the user from /api/users/me). */
  signIn(session: { token: string; refreshToken: string }): Promise<void>;
}

/** What the bridge recorded and lets a test steer. */
export interface LiveWx {
  device(name: string): Device;
  /** Makes `device` the phone that the following wx calls act on. */
  use(device: Device): void;
  current(): Device;
  /** Every request the pages sent, in order (url is the API path). */
  requests: FakeRequest[];
  /** Return a response (or NETWORK_FAILURE) to answer a request without the API; undefined passes it through. */
  intercept?: (req: FakeRequest) => FakeResponse | undefined;
  toasts: string[];
  navigations: { api: string; url: string }[];
  /** Answer of the next wx.showModal calls (default: confirm). */
  modalConfirm: boolean;
  /** Every wx.connectSocket connection, oldest first. */
  sockets: FakeSocketTask[];
}

/** What wx.connectSocket returned: a SocketTask over a real `ws` connection to the live API. */
export interface FakeSocketTask extends WechatMiniprogram.SocketTask {
  /** The device that was active when the socket was opened. */
  device: string;
  /** Frames the mini-program sent, in order. */
  sent: string[];
  /** Text frames the server sent, in order. */
  received: string[];
  readonly closed: boolean;
}

/** A SocketTask (onOpen/onMessage/onClose/onError/send/close) over a real WebSocket. */
function socketTask(url: string, device: string): FakeSocketTask {
  const ws = new WebSocket(url);
  const sent: string[] = [];
  const received: string[] = [];
  let closed = false;
  ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    if (!isBinary) received.push(data.toString());
  });
  ws.on('close', () => {
    closed = true;
  });
  // An unanswered 'error' event would throw; onError listeners get it below.
  ws.on('error', () => undefined);
  const task = {
    device,
    sent,
    received,
    get closed() {
      return closed;
    },
    onOpen(listener: WechatMiniprogram.OnOpenCallback) {
      ws.on('open', () => listener({ header: {}, profile: {} } as never));
    },
    onMessage(listener: WechatMiniprogram.SocketTaskOnMessageCallback) {
      ws.on('message', (data: WebSocket.RawData, isBinary: boolean) =>
        listener({ data: isBinary ? new Uint8Array(data as Buffer).buffer : data.toString() }),
      );
    },
    onClose(listener: WechatMiniprogram.SocketTaskOnCloseCallback) {
      ws.on('close', (code: number, reason: Buffer) => listener({ code, reason: reason.toString() }));
    },
    onError(listener: WechatMiniprogram.UDPSocketOnErrorCallback) {
      ws.on('error', (err: Error) => listener({ errMsg: `socket error: ${err.message}` } as never));
    },
    send(opts: WechatMiniprogram.SocketTaskSendOption) {
      if (ws.readyState !== WebSocket.OPEN) {
        opts.fail?.({ errMsg: 'sendSocketMessage:fail socket is not connected' } as never);
        return;
      }
      sent.push(String(opts.data));
      ws.send(opts.data, (err) =>
        err
          ? opts.fail?.({ errMsg: `sendSocketMessage:fail ${err.message}` } as never)
          : opts.success?.({ errMsg: 'ok' } as never),
      );
    },
    close(opts: WechatMiniprogram.SocketTaskCloseOption = {}) {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(opts.code ?? 1000, opts.reason);
      opts.success?.({ errMsg: 'closeSocket:ok' } as never);
    },
  };
  return task as unknown as FakeSocketTask;
}

/**
 * Replaces wx.request, wx.uploadFile, storage, login, toasts, modals and navigation with a bridge to
 * the live API. Uploads send the bytes of `filePath` (a real file) as multipart, like WeChat does.
 */
export function bridgeWx(api: LiveApi): LiveWx {
  const devices = new Map<string, Device>();
  let active: Device | undefined;
  const w = wx as unknown as Record<string, (...args: never[]) => unknown>;
  const state: LiveWx = {
    device(name) {
      let d = devices.get(name);
      if (!d) {
        const storage = new Map<string, unknown>();
        d = {
          name,
          storage,
          async signIn(s) {
            storage.set('session.token', s.token);
            storage.set('session.refreshToken', s.refreshToken);
            const me = await api.call('GET', '/api/users/me', s.token);
            storage.set('session.user', me.body.data);
          },
        };
        devices.set(name, d);
      }
      active ??= d;
      return d;
    },
    use(d) {
      active = d;
    },
    current() {
      if (!active) throw new Error('bridgeWx: no device yet; call device(name) first');
      return active;
    },
    requests: [],
    toasts: [],
    navigations: [],
    modalConfirm: true,
    sockets: [],
  };
  const storage = () => state.current().storage;
  vi.spyOn(w, 'getStorageSync').mockImplementation(((key: string) => (storage().has(key) ? storage().get(key) : '')) as never);
  vi.spyOn(w, 'setStorageSync').mockImplementation(((key: string, value: unknown) => void storage().set(key, value)) as never);
  vi.spyOn(w, 'removeStorageSync').mockImplementation(((key: string) => void storage().delete(key)) as never);
  vi.spyOn(w, 'login').mockImplementation(((opts: WechatMiniprogram.LoginOption) => {
    opts.success?.({ code: `dev-${state.current().name}`, errMsg: 'login:ok' });
  }) as never);

  vi.spyOn(w, 'request').mockImplementation(((opts: WechatMiniprogram.RequestOption) => {
    const req: FakeRequest = {
      url: opts.url.replace(API_BASE, ''),
      method: opts.method ?? 'GET',
      data: opts.data,
      header: { ...(opts.header as Record<string, string>) },
    };
    state.requests.push(req);
    void (async (): Promise<FakeResponse> => {
      const injected = state.intercept?.(req);
      if (injected !== undefined) return injected;
      let url = api.url + req.url;
      let body: string | undefined;
      if (req.method === 'GET' && req.data && typeof req.data === 'object') {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(req.data as Record<string, unknown>))
          if (v !== undefined && v !== null) q.set(k, String(v));
        const qs = q.toString();
        if (qs) url += (url.includes('?') ? '&' : '?') + qs;
      } else if (req.method !== 'GET') body = JSON.stringify(req.data ?? {});
      // Header names are case-insensitive: a page's 'Content-Type' must replace the default, not join it
      // ('application/json, application/json' is no JSON to the API).
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const [k, v] of Object.entries(req.header)) headers[k.toLowerCase()] = v;
      const res = await fetch(url, { method: req.method, headers, body });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : '' };
    })()
      .then((res) => {
        if (res === NETWORK_FAILURE) opts.fail?.({ errMsg: 'request:fail', errno: 600001 } as never);
        else
          opts.success?.({
            statusCode: res.status,
            data: res.body as never,
            header: {},
            cookies: [],
            errMsg: 'request:ok',
          } as never);
      })
      .catch((err: unknown) => opts.fail?.({ errMsg: `request:fail ${String(err)}`, errno: 600001 } as never))
      .finally(() => opts.complete?.({ errMsg: 'request:complete' } as never));
    return { abort() {} };
  }) as never);

  vi.spyOn(w, 'uploadFile').mockImplementation(((opts: WechatMiniprogram.UploadFileOption) => {
    const req: FakeRequest = {
      url: opts.url.replace(API_BASE, ''),
      method: 'POST',
      data: { filePath: opts.filePath, name: opts.name, formData: opts.formData },
      header: { ...(opts.header as Record<string, string>) },
    };
    state.requests.push(req);
    void (async (): Promise<FakeResponse> => {
      const injected = state.intercept?.(req);
      if (injected !== undefined) return injected;
      // Built by hand: under jsdom the global FormData is jsdom's, which Node's fetch cannot send.
      const boundary = `----mp${Math.random().toString(16).slice(2)}`;
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries((opts.formData ?? {}) as Record<string, unknown>))
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`));
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; filename="${path.basename(opts.filePath)}"\r\n\r\n`,
        ),
        fs.readFileSync(opts.filePath),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      const res = await fetch(api.url + req.url, {
        method: 'POST',
        headers: { ...req.header, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat(parts),
      });
      return { status: res.status, body: await res.text() };
    })()
      .then((res) => {
        if (res === NETWORK_FAILURE) opts.fail?.({ errMsg: 'uploadFile:fail', errno: 600001 } as never);
        // Like WeChat, uploadFile hands back the body as a string.
        else
          opts.success?.({
            statusCode: res.status,
            data: typeof res.body === 'string' ? res.body : JSON.stringify(res.body),
            errMsg: 'uploadFile:ok',
          } as never);
      })
      .catch((err: unknown) => opts.fail?.({ errMsg: `uploadFile:fail ${String(err)}` } as never));
    return { abort() {}, onProgressUpdate() {} };
  }) as never);

  vi.spyOn(w, 'connectSocket').mockImplementation(((opts: WechatMiniprogram.ConnectSocketOption) => {
    const task = socketTask(
      opts.url.replace(API_BASE.replace(/^http/, 'ws'), api.url.replace(/^http/, 'ws')),
      state.current().name,
    );
    state.sockets.push(task);
    opts.success?.({ errMsg: 'connectSocket:ok' });
    return task;
  }) as never);

  vi.spyOn(w, 'showToast').mockImplementation(((opts: WechatMiniprogram.ShowToastOption) => {
    state.toasts.push(opts.title);
    opts.success?.({ errMsg: 'showToast:ok' });
  }) as never);
  for (const name of [
    'showLoading',
    'hideLoading',
    'stopPullDownRefresh',
    'vibrateShort',
    'setNavigationBarTitle',
    'setTabBarBadge',
    'removeTabBarBadge',
  ]) {
    if (typeof w[name] === 'function') vi.spyOn(w, name).mockImplementation((() => undefined) as never);
  }
  vi.spyOn(w, 'showModal').mockImplementation(((opts: WechatMiniprogram.ShowModalOption) => {
    const confirm = state.modalConfirm;
    opts.success?.({ confirm, cancel: !confirm, content: '', errMsg: 'showModal:ok' } as never);
  }) as never);
  for (const api of ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab', 'navigateBack']) {
    if (typeof w[api] === 'function')
      vi.spyOn(w, api).mockImplementation(((opts: { url?: string; success?: () => void } = {}) => {
        state.navigations.push({ api, url: opts.url ?? '' });
        opts.success?.();
      }) as never);
  }
  return state;
}

/** Polls until `check` passes (pages update asynchronously from the network and sockets). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
