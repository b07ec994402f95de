// @vitest-environment jsdom
/// <reference types="node" />
/**
 * `npm run screenshots`: every page of app.json in its main states (test/screens.ts), rendered
 * against the live API with demo data and photographed in Chromium at 375×812 @2x, light and dark,
 * to docs/screenshots/miniprogram/<page>-<state>-<light|dark>.png, and checks each with the layout
 * test's rules (test/__tests__/layout.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLiveApi, type LiveApi } from '../live';
import { allPages, launchChromium, layoutProblems, pageHtml, shoot } from '../render';
import { closeScreen, SCREENS, screenContext, type ScreenContext } from '../screens';
import { MINIPROGRAM_ROOT } from '../setup';

const OUT = path.resolve(MINIPROGRAM_ROOT, '../docs/screenshots/miniprogram');

let api: LiveApi;
let browser: Browser;
let ctx: ScreenContext | undefined;
beforeAll(async () => {
  [api, browser] = await Promise.all([startLiveApi(), launchChromium()]);
  fs.mkdirSync(OUT, { recursive: true });
  // Pictures of screens that no longer exist go; the others are overwritten (a run filtered with -t keeps the rest).
  const current = new Set(SCREENS.flatMap((s) => ['light', 'dark'].map((scheme) => `${s.name}-${s.state}-${scheme}.png`)));
  for (const file of fs.readdirSync(OUT)) if (file.endsWith('.png') && !current.has(file)) fs.rmSync(path.join(OUT, file));
});
afterEach(() => {
  if (ctx) closeScreen(ctx);
  ctx = undefined;
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('mini-program screenshots', () => {
  it('covers every page of app.json', () => {
    expect(allPages().filter((p) => !SCREENS.some((s) => s.pagePath === p))).toEqual([]);
  });

  for (const spec of SCREENS) {
    it(`${spec.name}-${spec.state}`, async () => {
      ctx = screenContext(api);
      const html = await pageHtml(await spec.open(ctx), api.url);
      for (const scheme of ['light', 'dark'] as const)
        await shoot(browser, html, path.join(OUT, `${spec.name}-${spec.state}-${scheme}.png`), { dark: scheme === 'dark' });
      if (process.env.SCREENSHOTS_HTML)
        fs.writeFileSync(path.join(process.env.SCREENSHOTS_HTML, `${spec.name}-${spec.state}.html`), html);
      // The layout test's checks, on every screen (the pictures are written first, whatever they show).
      for (const [rule, found] of Object.entries(await layoutProblems(browser, html))) expect.soft(found, rule).toEqual([]);
    });
  }
});
