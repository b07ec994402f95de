import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { measure, overLimits, PACKAGE_LIMIT, report } from '../miniprogram-size';

const ROOT = path.resolve(__dirname, '../../miniprogram');

function tree(files: Record<string, string | number>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-size-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'number' ? Buffer.alloc(content) : content);
  }
  return root;
}

describe('WeChat package limits', () => {
  it('when the real mini-program is measured, then the main package and both subpackages are within 2 MB and the tests are not counted', () => {
    const sizes = measure(ROOT);
    expect(Object.keys(sizes.packages)).toEqual(['(main)', 'pages/user', 'pages/electrician']);
    for (const bytes of Object.values(sizes.packages)) expect(bytes).toBeGreaterThan(0);
    expect(overLimits(sizes)).toEqual([]);
    expect(report(sizes)).toContain('pages/user');
  });

  it('when a subpackage passes 2 MB, then it is named; tests, typings, node_modules and declarations do not count', () => {
    const root = tree({
      'app.json': JSON.stringify({ pages: ['pages/index/index'], subpackages: [{ root: 'pages/big', pages: ['a/a'] }] }),
      'project.config.json': JSON.stringify({
        packOptions: {
          ignore: [
            { type: 'folder', value: 'test' },
            { type: 'glob', value: '**/__tests__/**' },
          ],
        },
      }),
      'pages/index/index.ts': 'export const answer: number = 42;\n',
      'pages/big/a/a.wxml': '<view/>',
      'pages/big/assets/video.mp4': PACKAGE_LIMIT + 1,
      'pages/index/__tests__/huge.test.ts': PACKAGE_LIMIT * 3,
      'test/fixture.bin': PACKAGE_LIMIT * 3,
      'node_modules/x/index.js': PACKAGE_LIMIT * 3,
      'typings/wx.d.ts': 'declare const wx: unknown;',
    });
    const sizes = measure(root);
    // The TypeScript counts as the JavaScript it compiles to (no type annotation left).
    expect(sizes.packages['(main)']).toBeGreaterThan(0);
    expect(sizes.packages['(main)']).toBeLessThan(400);
    expect(overLimits(sizes)).toEqual([expect.stringMatching(/^pages\/big is 2048\.0 KB, over the 2 MB package limit$/)]);
    expect(sizes.files).toBe(5);
  });

  it('when a library sits in miniprogram_npm, then only the components the app reaches count, with the files they load', () => {
    const lib = 'miniprogram_npm/@lib/ui';
    const root = tree({
      'app.json': JSON.stringify({
        pages: ['pages/index/index'],
        subpackages: [{ root: 'pages/sub', pages: ['a/a'] }],
        usingComponents: { 'ui-icon': '@lib/ui/icon/index' },
      }),
      'pages/index/index.json': JSON.stringify({ usingComponents: { 'ui-button': '@lib/ui/button/index' } }),
      'pages/index/index.wxml': '<ui-button/>',
      'pages/sub/a/a.json': JSON.stringify({ usingComponents: { 'ui-cell': '/miniprogram_npm/@lib/ui/cell' } }),
      'pages/sub/a/a.wxml': '<ui-cell/>',
      [`${lib}/button/index.json`]: JSON.stringify({ component: true, usingComponents: { 'ui-loading': '../loading/index' } }),
      [`${lib}/button/index.js`]: "require('../common/component');",
      [`${lib}/button/index.wxml`]: '<wxs src="../wxs/utils.wxs" module="u" />',
      [`${lib}/button/index.wxss`]: "@import '../common/index.wxss';",
      [`${lib}/loading/index.json`]: JSON.stringify({ component: true }),
      [`${lib}/loading/index.js`]: '',
      [`${lib}/icon/index.json`]: JSON.stringify({ component: true }),
      [`${lib}/cell/index.json`]: JSON.stringify({ component: true }),
      [`${lib}/common/component.js`]: "require('./utils');",
      [`${lib}/common/utils.js`]: '',
      [`${lib}/common/index.wxss`]: '',
      [`${lib}/wxs/utils.wxs`]: "var bem = require('./bem.wxs');",
      [`${lib}/wxs/bem.wxs`]: '',
      [`${lib}/calendar/index.json`]: JSON.stringify({ component: true }),
      [`${lib}/calendar/index.js`]: 100_000,
      [`${lib}/wxs/unused.wxs`]: 100_000,
    });
    const sizes = measure(root);
    expect(sizes.npm.files).toBe(13);
    expect(sizes.npm.bytes).toBeLessThan(1000);
    expect(sizes.packages['(main)']).toBeLessThan(2000);
  });

  it('when the real mini-program is measured, then the library counts only what the pages use', () => {
    const sizes = measure(ROOT);
    expect(sizes.npm.files).toBeGreaterThan(0);
    expect(sizes.packages['(main)']).toBeLessThan(PACKAGE_LIMIT);
  });
});
