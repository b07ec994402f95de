/// <reference types="node" />
/** Shared set-up of the electrician page tests (live API through the bridge). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { pageModule, pageRealtime } from '../../../test/journey';

/** Re-exported for the page tests that import their phone helpers from here. */
export { locateAt } from '../../../test/journey';
import { bridgeWx, startLiveApi, type LiveApi, type LiveSession, type LiveWx } from '../../../test/live';
import { MINIPROGRAM_ROOT, renderPage, settle, type RenderedPage } from '../../../test/setup';

const nodeRequire = createRequire(path.join(MINIPROGRAM_ROOT, 'app.ts'));

/**
 * The live API and the phones' bridge for a test file: started before its tests (handed to
 * `started`), with interception cleared after each test, and mocks restored and the API stopped
 * after the last. With `realtime`, the pages' socket reconnects after 100 ms and is closed after
 * each test, so no late push of one test reaches the next.
 */
export function useLiveBridge(
  started: (api: LiveApi, bridge: LiveWx) => void,
  options: { realtime?: boolean; env?: Record<string, string> } = {},
): void {
  let api: LiveApi | undefined;
  let bridge: LiveWx | undefined;
  beforeAll(async () => {
    api = await startLiveApi({ env: options.env });
    bridge = bridgeWx(api);
    if (options.realtime)
      pageModule<{ REALTIME_TIMING: { reconnectDelayMs: number } }>('services/realtime.ts').REALTIME_TIMING.reconnectDelayMs =
        100;
    started(api, bridge);
  });
  afterEach(() => {
    if (options.realtime) pageRealtime().disconnect();
    if (bridge) bridge.intercept = undefined;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await api?.stop();
  });
}

/**
 * Starts a new "app" for the pages rendered next: each phone of a test has its own realtime
 * connection, as on real devices, while the pages already rendered keep theirs.
 */
export function freshApp(): void {
  const root = MINIPROGRAM_ROOT + path.sep;
  for (const key of Object.keys(nodeRequire.cache)) {
    if (key.startsWith(root) && !key.includes(`${path.sep}test${path.sep}`) && !key.includes('__tests__'))
      delete nodeRequire.cache[key];
  }
}

/** Signs a new electrician in on their own phone and makes it the active one. */
export async function electricianPhone(
  api: LiveApi,
  bridge: LiveWx,
  name: string,
  opts: Record<string, unknown> = {},
): Promise<LiveSession & { electricianId: number }> {
  const e = await api.loginAsElectrician(name, opts);
  const d = bridge.device(name);
  bridge.use(d);
  await d.signIn(e);
  return e;
}

/** Renders a page, then runs onLoad(query) and onShow() as WeChat would, and waits for the network. */
export async function openPage(pagePath: string, query: Record<string, string> = {}): Promise<RenderedPage> {
  const page = renderPage(pagePath);
  page.instance.onLoad?.(query);
  page.instance.onShow?.();
  await settle();
  return page;
}

export const text = (page: RenderedPage) => page.dom.textContent ?? '';
