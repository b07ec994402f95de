// @vitest-environment jsdom
/// <reference types="node" />
/**
 * What WeChat DevTools would reject or a user would hit as a dead tap, checked without DevTools:
 * WeChat's own WXML/WXSS compilers (npm miniprogram-compiler: the wcc and wcsc binaries DevTools
 * uses) accept every file; every bind/catch handler exists on its page or component; every
 * usingComponents path is a component; every navigation names a page of the right kind.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeWx, MINIPROGRAM_ROOT, npmComponent, ok, renderPage } from '../setup';

const nodeRequire = createRequire(__filename);
const compiler = nodeRequire('miniprogram-compiler') as {
  wxmlToJs(root: string, options?: { wxmlList?: string[] }): string;
  wxssToJs(root: string, options?: { wxssList?: string[] }): string;
};

/** `file` and every WXSS file it @imports, transitively (paths relative to the mini-program root). */
function withImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8');
  for (const [, target] of source.matchAll(/@import\s+["']([^"']+)["']/g)) {
    const resolved = target.startsWith('/') ? target.slice(1) : path.posix.join(path.posix.dirname(file), target);
    withImports(resolved.endsWith('.wxss') ? resolved : `${resolved}.wxss`, seen);
  }
  return [...seen];
}

const SKIP = new Set(['node_modules', 'miniprogram_npm', 'test', '__tests__', 'typings']);
function walk(dir: string, ext: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, ext, out);
    else if (entry.name.endsWith(ext)) out.push(path.relative(MINIPROGRAM_ROOT, full).split(path.sep).join('/'));
  }
  return out.sort();
}

const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as {
  pages: string[];
  subpackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string }[] };
};
const PAGES = [...app.pages, ...app.subpackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
const TAB_PAGES = new Set(app.tabBar.list.map((t) => t.pagePath));
/** Every page and component: a folder-less path without extension, e.g. 'pages/index/index'. */
const UNITS = walk(MINIPROGRAM_ROOT, '.json')
  .map((f) => f.replace(/\.json$/, ''))
  .filter((u) => fs.existsSync(path.join(MINIPROGRAM_ROOT, `${u}.wxml`)));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('小程序结构检查', () => {
  it('WeChat’s WXML compiler (wcc) accepts every .wxml file', () => {
    const files = walk(MINIPROGRAM_ROOT, '.wxml');
    expect(files.length).toBeGreaterThan(20);
    expect(() => compiler.wxmlToJs(MINIPROGRAM_ROOT, { wxmlList: files })).not.toThrow();
  });

  it('WeChat’s WXSS compiler (wcsc) accepts every .wxss file', () => {
    const rejected = walk(MINIPROGRAM_ROOT, '.wxss').filter((file) => {
      try {
        // As DevTools does, the files it @imports are compiled with it (wcsc fails on an import it was not given).
        compiler.wxssToJs(MINIPROGRAM_ROOT, { wxssList: withImports(file) });
        return false;
      } catch {
        return true;
      }
    });
    expect(rejected).toEqual([]);
  });

  it('every page in app.json exists, and the tab pages are in the main package', () => {
    for (const page of PAGES)
      for (const ext of ['.ts', '.wxml', '.json'])
        expect(fs.existsSync(path.join(MINIPROGRAM_ROOT, page + ext)), page + ext).toBe(true);
    for (const tab of TAB_PAGES) expect(app.pages, tab).toContain(tab);
  });

  it('every usingComponents path is a component', () => {
    const problems: string[] = [];
    for (const unit of UNITS) {
      const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${unit}.json`), 'utf8')) as {
        usingComponents?: Record<string, string>;
      };
      for (const [tag, ref] of Object.entries(json.usingComponents ?? {})) {
        // A package path ('@vant/weapp/icon/index') is looked up in miniprogram_npm, as DevTools does.
        const npm = npmComponent(path.join(MINIPROGRAM_ROOT, path.dirname(unit)), ref);
        const target = npm
          ? path.relative(MINIPROGRAM_ROOT, npm).split(path.sep).join('/')
          : ref.startsWith('/')
            ? ref.slice(1)
            : path.posix.join(path.posix.dirname(unit), ref);
        const jsonPath = path.join(MINIPROGRAM_ROOT, `${target}.json`);
        const ok =
          fs.existsSync(jsonPath) &&
          fs.existsSync(path.join(MINIPROGRAM_ROOT, `${target}.wxml`)) &&
          (JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { component?: boolean }).component === true;
        if (!ok) problems.push(`${unit}: <${tag}> → ${ref}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every bind/catch handler in a WXML file is a method of its page or component', () => {
    fakeWx(() => ok({}));
    (globalThis as unknown as { getCurrentPages: () => unknown[] }).getCurrentPages = () => [];
    const missing: string[] = [];
    for (const unit of UNITS) {
      const wxml = fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${unit}.wxml`), 'utf8');
      const handlers = new Set(
        [...wxml.matchAll(/\s(?:capture-)?(?:bind|catch|mut-bind):?[a-z]+="([^"{}]+)"/g)].map((m) => m[1].trim()),
      );
      if (!handlers.size) continue;
      const instance = renderPage(unit).instance as unknown as Record<string, unknown>;
      for (const h of handlers) if (typeof instance[h] !== 'function') missing.push(`${unit}: ${h}`);
    }
    expect(missing).toEqual([]);
  });

  it('every navigation names a page, switchTab only tab pages, navigateTo/redirectTo never a tab page', () => {
    const landing = fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'utils/landing.ts'), 'utf8');
    const tabConst = Object.fromEntries(
      [...landing.matchAll(/^\s+(\w+): '\/([^']+)',$/gm)].map((m) => [`TAB_PAGES.${m[1]}`, m[2]]),
    );
    /** Constants named in navigation calls, from their declarations anywhere in the sources. */
    const constants: Record<string, string> = {};
    const sources = walk(MINIPROGRAM_ROOT, '.ts');
    for (const file of sources) {
      const src = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8');
      for (const m of src.matchAll(/const (\w+) = '\/(pages\/[^'?]+)'/g)) constants[m[1]] = m[2];
    }
    const resolve = (expr: string): string[] | null => {
      const literal = /^[`']\/(pages\/[\w/-]+)/.exec(expr);
      if (literal) return [literal[1]];
      const named = /^`?\$?\{?(\w+(?:\.\w+)?)/.exec(expr)?.[1] ?? '';
      if (tabConst[named]) return [tabConst[named]];
      if (constants[named]) return [constants[named]];
      // The tab bar's items and the role landing: checked as tab pages below.
      if (named === 'item.url' || named === 'landingPage') return null;
      return [`<unresolved ${expr}>`];
    };
    const problems: string[] = [];
    for (const file of sources) {
      const src = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8');
      for (const m of src.matchAll(/wx\.(navigateTo|redirectTo|switchTab|reLaunch)\(\{\s*url:\s*([^,}\n]+)/g)) {
        const [, api, expr] = m;
        for (const target of resolve(expr.trim()) ?? []) {
          if (!PAGES.includes(target)) problems.push(`${file}: ${api} → ${target} is not a page`);
          else if (api === 'switchTab' && !TAB_PAGES.has(target))
            problems.push(`${file}: switchTab → ${target} is not a tab page`);
          else if ((api === 'navigateTo' || api === 'redirectTo') && TAB_PAGES.has(target))
            problems.push(`${file}: ${api} → ${target} is a tab page`);
        }
      }
    }
    for (const file of walk(MINIPROGRAM_ROOT, '.wxml')) {
      const wxml = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8');
      for (const m of wxml.matchAll(/<navigator[^>]*\surl="\/([^"?{]+)/g))
        if (!PAGES.includes(m[1]) || TAB_PAGES.has(m[1])) problems.push(`${file}: <navigator> → ${m[1]}`);
    }
    // The tab bar's items and the landing pages are all tab pages.
    for (const target of Object.values(tabConst)) if (!TAB_PAGES.has(target)) problems.push(`TAB_PAGES → ${target}`);
    expect(problems).toEqual([]);
  });
});
