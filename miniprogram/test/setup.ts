/// <reference types="node" />
// Test support for the mini-program: load TypeScript pages into miniprogram-simulate and fake the wx APIs.
import Module, { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, vi } from 'vitest';

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '..');

type Loader = (module: NodeJS.Module & { _compile(code: string, filename: string): void }, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

if (!extensions['.ts']) {
  // miniprogram-simulate runs page code with Node's own require. '.ts' must come before '.json', or
  // require('pages/index/index') would resolve to index.json instead of index.ts.
  const compileTs: Loader = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
  const rest = { ...extensions };
  for (const key of Object.keys(extensions)) delete extensions[key];
  Object.assign(extensions, { '.js': rest['.js'], '.ts': compileTs }, rest);
}

const nodeRequire = createRequire(__filename);

// `usingComponents` may name a package path ('@vant/weapp/button/index'), which DevTools resolves
// in the nearest miniprogram_npm up the tree (built by scripts/miniprogram-npm.ts, the tests'
// global set-up). miniprogram-simulate only knows relative and root paths, so package paths are
// rewritten to the relative path of what DevTools would pick, as each component's JSON is read.
/** The file path (no extension) of the package component `value` used from `dir`, or undefined. */
export function npmComponent(dir: string, value: string): string | undefined {
  if (/^(\.|\/|plugin:|plugin-private:)/.test(value)) return undefined;
  for (let up = dir; up.startsWith(MINIPROGRAM_ROOT); up = path.dirname(up)) {
    const target = path.join(up, 'miniprogram_npm', value);
    if (fs.existsSync(`${target}.json`)) return target;
    if (fs.existsSync(path.join(target, 'index.json'))) return path.join(target, 'index');
  }
  return undefined;
}
const simulateUtils = nodeRequire('miniprogram-simulate/src/utils') as { readJson(file: string): unknown };
const readJson = simulateUtils.readJson;
simulateUtils.readJson = (file: string) => {
  const json = readJson(file) as { usingComponents?: Record<string, string> } | null;
  if (!json?.usingComponents) return json;
  const dir = path.dirname(file);
  for (const [tag, value] of Object.entries(json.usingComponents)) {
    const target = npmComponent(dir, value);
    if (target) json.usingComponents[tag] = path.relative(dir, target).split(path.sep).join('/');
  }
  return json;
};
/** The part of miniprogram-simulate used here (its own typings pull in an older miniprogram-api-typings). */
export interface RenderedPage {
  instance: WechatMiniprogram.Component.TrivialInstance;
  dom: { textContent: string | null };
  attach(parent: unknown): void;
  detach(): void;
  querySelector(
    selector: string,
  ): { dispatchEvent(name: string, detail?: unknown): void; dom: { textContent: string | null } } | null;
  querySelectorAll(
    selector: string,
  ): { dispatchEvent(name: string, detail?: unknown): void; dom: { textContent: string | null } }[];
}
interface Simulate {
  load(componentPath: string, options?: { rootPath?: string }): string;
  render(id: string, properties?: Record<string, unknown>): RenderedPage;
}
export const simulate: Simulate = nodeRequire('miniprogram-simulate');

export const API_BASE = 'http://api.test';
(globalThis as unknown as { getApp: () => IAppOption }).getApp = () => ({ globalData: { apiBase: API_BASE } });

const rendered: RenderedPage[] = [];

// Each test's pages are closed after it, as leaving them would in WeChat: a page left open would
// keep its socket listeners and answer the next test's reconnects with requests of its own.
afterEach(() => {
  for (const page of rendered.splice(0)) {
    (page.instance as { onUnload?: () => void }).onUnload?.();
    page.detach();
  }
});

/** Loads a page or component folder (e.g. 'pages/index/index'), renders and attaches it; closed after the test. */
export function renderPage(pagePath: string) {
  const id = simulate.load(path.join(MINIPROGRAM_ROOT, pagePath), { rootPath: MINIPROGRAM_ROOT });
  const page = simulate.render(id);
  const doc = (globalThis as unknown as { document: { createElement(tag: string): unknown } }).document;
  page.attach(doc.createElement('parent-wrapper'));
  rendered.push(page);
  return page;
}

type Queried = NonNullable<ReturnType<RenderedPage['querySelector']>>;

/**
 * A button of the state view (components/state-view) the page shows as `host` (the class the page
 * gives it, e.g. '.load-error'): '.retry' for 重试, '.action' for its other action. Undefined when
 * there is none, so `stateButton(page, '.load-error')!.dispatchEvent('tap')` fails the test then.
 */
export function stateButton(page: RenderedPage, host: string, button = '.retry'): Queried | undefined {
  const view = page.querySelector(host) as unknown as { querySelector(s: string): Queried | null } | null;
  return view?.querySelector(button) ?? undefined;
}

/** How many photos the photo grid (components/photo-grid) the page shows as `host` holds. */
export function gridPhotos(page: RenderedPage, host: string): number {
  const grid = page.querySelector(host) as unknown as { querySelectorAll(s: string): unknown[] } | null;
  return grid ? grid.querySelectorAll('.photo-grid__img').length : 0;
}

/**
 * Taps the `stars`-th star of the nth rating (components/rating-stars) the page shows as `host`:
 * through Vant's own rate handler, which emits the change the page receives.
 */
export async function tapStar(page: RenderedPage, host: string, stars: number, nth = 0): Promise<void> {
  type Rate = { instance: { onSelect(e: unknown): void } };
  const view = page.querySelectorAll(host)[nth] as unknown as { querySelector(s: string): Rate | null } | undefined;
  const rate = view?.querySelector('.rating-stars__rate');
  if (!rate) throw new Error(`no rating stars at ${host} #${nth}`);
  rate.instance.onSelect({ currentTarget: { dataset: { score: stars - 1 } } });
  await settle(1); // Vant emits the change on wx.nextTick
}

export interface FakeRequest {
  url: string;
  method: string;
  data: unknown;
  header: Record<string, string>;
}

export const NETWORK_FAILURE = Symbol('network failure');
export type FakeResponse = { status: number; body: unknown } | typeof NETWORK_FAILURE;
export type Responder = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export const ok = (data: unknown, status = 200): FakeResponse => ({ status, body: { success: true, data } });
export const fail = (status: number, code: string, message: string): FakeResponse => ({
  status,
  body: { success: false, error: { code, message } },
});

/** Replaces wx storage, wx.request and the navigation/toast APIs with recording fakes. */
export function fakeWx(responder: Responder) {
  const storage = new Map<string, unknown>();
  const requests: FakeRequest[] = [];
  const w = wx as unknown as Record<string, (...args: never[]) => unknown>;
  vi.spyOn(w, 'getStorageSync').mockImplementation(((key: string) => (storage.has(key) ? storage.get(key) : '')) as never);
  vi.spyOn(w, 'setStorageSync').mockImplementation(((key: string, value: unknown) => void storage.set(key, value)) as never);
  vi.spyOn(w, 'removeStorageSync').mockImplementation(((key: string) => void storage.delete(key)) as never);
  const request = vi.spyOn(w, 'request').mockImplementation(((opts: WechatMiniprogram.RequestOption) => {
    const req: FakeRequest = {
      url: opts.url,
      method: opts.method ?? 'GET',
      data: opts.data,
      header: { ...(opts.header as Record<string, string>) },
    };
    requests.push(req);
    void Promise.resolve()
      .then(() => responder(req))
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
      });
    return { abort() {} };
  }) as never);
  const showToast = vi.spyOn(w, 'showToast').mockImplementation((() => undefined) as never);
  const reLaunch = vi.spyOn(w, 'reLaunch').mockImplementation((() => undefined) as never);
  const redirectTo = vi.spyOn(w, 'redirectTo').mockImplementation((() => undefined) as never);
  const navigateTo = vi.spyOn(w, 'navigateTo').mockImplementation((() => undefined) as never);
  return { storage, requests, request, showToast, reLaunch, redirectTo, navigateTo };
}

/** Waits until the fake network has answered and the page has re-rendered. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
