// @vitest-environment jsdom
/// <reference types="node" />
/**
 * Representative pages, filled with demo data from the live API, rendered by the screenshot
 * renderer (test/render.ts) in Debian's Chromium at 375×812: nothing may reach past the right edge,
 * no action or text may stay behind the tab bar or in the bottom safe area when scrolled to the end,
 * no visible text may be under 12 px; tap targets are at least 88 rpx and named (text or
 * aria-label), and text keeps a contrast of 4.5:1 on what is behind it, light and dark. Like the console's browser tests, this fails (never skips)
 * without Chromium.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLiveApi, type LiveApi } from '../live';
import { launchChromium, layoutProblems, pageHtml } from '../render';
import { closeScreen, screen, screenContext, type ScreenContext } from '../screens';

let api: LiveApi;
let browser: Browser;
let ctx: ScreenContext | undefined;
beforeAll(async () => {
  [api, browser] = await Promise.all([startLiveApi(), launchChromium()]);
});
afterEach(() => {
  if (ctx) closeScreen(ctx);
  ctx = undefined;
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

const PAGES = [
  'index',
  'index-current',
  'orders-customer',
  'me-customer',
  'hall',
  'hall-preview',
  'user-order',
  'user-order-book',
  'user-order-detail',
  'user-addresses',
  'dispatch-offer',
  'chat',
  'customer-service-bot',
  'user-invoice',
  'user-invoices',
  // Last: its set-up moves the API's clock a week on.
  'electrician-wallet',
];

describe('mini-program layout at 375×812', { timeout: 60_000 }, () => {
  for (const name of PAGES) {
    it(`when ${name} is filled, then it fits the screen, its actions clear the tab bar and safe area, its text is at least 12 px, its tap targets 88 rpx and named, its contrast 4.5:1`, async () => {
      ctx = screenContext(api);
      const shot = await screen(name, 'filled').open(ctx);
      const html = await pageHtml(shot, api.url);
      for (const [rule, found] of Object.entries(await layoutProblems(browser, html))) expect.soft(found, rule).toEqual([]);
    });
  }
});
