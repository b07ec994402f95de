/// <reference types="node" />
/**
 * Renders a page that miniprogram-simulate has drawn in jsdom as a phone screen in Debian's Chromium:
 * the page's DOM (WXML built-ins are `wx-*` custom elements, as in WeChat's own web view) with
 * WeChat's default styles for them, the page's WXSS, app.wxss and its components' WXSS compiled the
 * way WeChat scopes them, rpx at a 375 px screen (1rpx = 0.5px), the status and navigation bars, the
 * custom tab bar on tab pages and a 34 px bottom safe area (`env(safe-area-inset-bottom)`).
 *
 * `pageHtml` turns a rendered page into one self-contained HTML file (images inlined); `shoot` takes
 * its 375×812 @2x picture, light or dark; `inspect` measures what a phone user would trip over:
 * horizontal overflow, actions hidden behind the tab bar or the safe area, text under 12 px.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import postcss from 'postcss';
import { chromium, type Browser } from 'playwright-core';
import { API_BASE, MINIPROGRAM_ROOT, npmComponent, simulate, type RenderedPage } from './setup';

export const SCREEN = { width: 375, height: 812, statusBar: 44, navBar: 44, safeBottom: 34 };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[] }[];
  window: Record<string, string>;
  tabBar?: { custom?: boolean; list: { pagePath: string }[] };
}
export const appJson = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson;

/** Every page of app.json, main package first, then each subpackage's. */
export function allPages(): string[] {
  return [...appJson.pages, ...(appJson.subpackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
}

export const isTabPage = (pagePath: string) => (appJson.tabBar?.list ?? []).some((t) => t.pagePath === pagePath);

// ------------------------------------------------------------------------------------------ WXSS

/** WeChat's built-in components; in WXSS a bare `view` means `wx-view`, and `page` the page root. */
const BUILT_INS = [
  'view', 'text', 'button', 'image', 'input', 'textarea', 'picker', 'switch', 'scroll-view', 'map', 'navigator',
  'label', 'form', 'checkbox', 'checkbox-group', 'radio', 'radio-group', 'icon', 'swiper', 'swiper-item',
  'rich-text', 'progress', 'slider', 'video', 'canvas', 'cover-view', 'cover-image', 'movable-area', 'movable-view',
  'picker-view', 'picker-view-column', 'editor', 'web-view', 'page',
]; // prettier-ignore
const TAG_SELECTOR = new RegExp(`(^|[\\s>+~,(])(${BUILT_INS.join('|')})(?![-\\w])`, 'g');

/** A page setting as WeChat applies it in `scheme`: `@name` is looked up in theme.json (app.json "darkmode"). */
function themed(value: string, scheme: 'light' | 'dark'): string {
  if (!value.startsWith('@')) return value;
  const themeFile = path.join(MINIPROGRAM_ROOT, 'theme.json');
  const theme = JSON.parse(fs.readFileSync(themeFile, 'utf8')) as Record<'light' | 'dark', Record<string, string>>;
  const resolved = theme[scheme][value.slice(1)];
  if (resolved === undefined) throw new Error(`theme.json has no ${scheme} value for ${value}`);
  return resolved;
}

/** A WXSS file with its `@import`s inlined, as WeChat's compiler does. */
function readWxss(file: string, seen = new Set<string>()): string {
  if (seen.has(file) || !fs.existsSync(file)) return '';
  seen.add(file);
  return fs
    .readFileSync(file, 'utf8')
    .replace(/@import\s+(?:"([^"]+)"|'([^']+)')\s*;/g, (_all, a?: string, b?: string) =>
      readWxss(path.resolve(path.dirname(file), a ?? b ?? ''), seen),
    );
}

const rpx = (value: string) =>
  value
    .replace(/(-?\d*\.?\d+)rpx/g, (_all, n: string) => `${+(Number(n) * (SCREEN.width / 750)).toFixed(3)}px`)
    .replace(/(?:constant|env)\(\s*safe-area-inset-bottom\s*\)/g, `${SCREEN.safeBottom}px`)
    .replace(/(?:constant|env)\(\s*safe-area-inset-(?:top|left|right)\s*\)/g, '0px');

/**
 * WXSS compiled for the component whose class prefix is `prefix`: miniprogram-simulate renders a
 * class `x` written in that component's WXML as `prefix--x`, which scopes it as WeChat does.
 */
export function compileWxss(source: string, prefix: string): string {
  const root = postcss.parse(source);
  root.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes/i.test((rule.parent as postcss.AtRule).name)) return;
    rule.selectors = rule.selectors.map((sel) =>
      sel
        .replace(/\.(-?[_a-zA-Z][-_a-zA-Z0-9]*)/g, `.${prefix}--$1`)
        .replace(TAG_SELECTOR, (_all, before: string, tag: string) => `${before}wx-${tag}`)
        // A component's `:host` is its element, which miniprogram-simulate names by its tag.
        .replace(/:host/g, prefix),
    );
  });
  root.walkDecls((decl) => {
    decl.value = rpx(decl.value);
  });
  return root.toString();
}

interface ComponentJson {
  usingComponents?: Record<string, string>;
  styleIsolation?: string;
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: string;
  backgroundColor?: string;
}
const readJson = (file: string): ComponentJson =>
  fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ComponentJson) : {};

/** Whether a component lets the page's and app's WXSS in (`styleIsolation: 'apply-shared' | 'shared'`). */
function sharesPageStyles(componentFile: string): boolean {
  const json = readJson(`${componentFile}.json`);
  if (json.styleIsolation) return json.styleIsolation !== 'isolated';
  const ts = fs.existsSync(`${componentFile}.ts`) ? fs.readFileSync(`${componentFile}.ts`, 'utf8') : '';
  return /styleIsolation:\s*'(?:apply-shared|shared)'/.test(ts) || /addGlobalClass:\s*true/.test(ts);
}

/**
 * The CSS of a page as WeChat applies it: app.wxss and the page's WXSS to the page, each custom
 * component's WXSS to itself (usingComponents, recursively, named as miniprogram-simulate names
 * them: the usingComponents key), and the page and app styles also to components that share them.
 */
export function pageCss(pagePath: string): string {
  const pageFile = path.join(MINIPROGRAM_ROOT, pagePath);
  const shared = readWxss(path.join(MINIPROGRAM_ROOT, 'app.wxss')) + readWxss(`${pageFile}.wxss`);
  const out = [compileWxss(shared, 'main')];
  const visit = (file: string, seen: Set<string>) => {
    for (const [tag, ref] of Object.entries(readJson(`${file}.json`).usingComponents ?? {})) {
      // '/x' from the root, './x' from the component, a package path from miniprogram_npm.
      const used =
        npmComponent(path.dirname(file), ref) ??
        (ref.startsWith('/') ? path.join(MINIPROGRAM_ROOT, ref) : path.resolve(path.dirname(file), ref));
      if (seen.has(used)) continue;
      seen.add(used);
      if (sharesPageStyles(used)) out.push(compileWxss(shared, tag));
      out.push(compileWxss(readWxss(`${used}.wxss`), tag));
      visit(used, seen);
    }
  };
  visit(pageFile, new Set());
  return offlineIconFont(out.join('\n'));
}

/**
 * Vant's icon font, which its WXSS loads from at.alicdn.com (as a phone does), taken from the same
 * font in @vant/icons (inlined there as a data: URL) so that the offline Chromium draws the icons.
 */
function offlineIconFont(css: string): string {
  if (!css.includes('//at.alicdn.com/')) return css;
  const less = fs.readFileSync(createRequire(__filename).resolve('@vant/icons/src/encode-woff2.less'), 'utf8');
  const font = /url\('(data:font\/woff2;[^']+)'\)/.exec(less)?.[1];
  if (!font) throw new Error('@vant/icons: no inlined woff2 font in src/encode-woff2.less');
  return css
    .replace(/url\(\/\/at\.alicdn\.com\/[^)]+\.woff2[^)]*\)/g, `url(${font})`)
    .replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]+\)\s*format\("woff"\)/g, '');
}

// ------------------------------------------------------------------------------------------ DOM

/** The part of jsdom's DOM walked here (the mini-program's typings have no DOM). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
  __wxElement?: { _vt?: { attrs?: { name: string; value: unknown }[]; event?: Record<string, unknown> } };
}

/**
 * Bindings that make an element something a finger taps (bindtap, catchtap, bindlongpress …, and a
 * library component's click, e.g. van-icon bind:click). Inside a library component's own template
 * the taps count only when the page listens to the component (van-rate bind:change: each star is a
 * target); Vant's icon always binds tap to emit click, which is inert unless the page binds click.
 */
const TAP_EVENTS = ['tap', 'longpress', 'longtap', 'click'];
const isLibraryTag = (tag: string) => tag.startsWith('van-');

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

/** WXML attributes of a built-in that change how it looks (the DOM keeps only class, id and data-*). */
const LOOK_ATTRS = [
  'size', 'type', 'plain', 'disabled', 'loading', 'checked', 'mode', 'scroll-x', 'scroll-y', 'value',
  'placeholder', 'password', 'src',
]; // prettier-ignore

const IMAGE_FIT: Record<string, string> = {
  aspectFill: 'cover',
  aspectFit: 'contain',
  scaleToFill: 'fill',
  widthFix: 'fill',
  heightFix: 'fill',
};

/**
 * The page's (or a component's) rendered DOM as HTML for Chromium. Built-ins keep their `wx-*` tags
 * with the WXML attributes that matter for their look; content WeChat draws natively gets drawn
 * here: an image's picture (`<img>`, `src` collected in `images` for inlining), an input's value or
 * placeholder, a switch's or checkbox's state, a map's placeholder.
 */
export function domHtml(root: DomNode, images: Set<string>): string {
  // `scope`: the class prefix of the component being walked (`main`, or a usingComponents key), read
  // from the classes miniprogram-simulate wrote, for the classes an attribute names (placeholder-class).
  // `library`: inside a library component's template: 'inert' (the page binds nothing on it) or 'live'.
  const walk = (node: DomNode, scope = 'main', library: 'none' | 'inert' | 'live' = 'none'): string => {
    if (node.nodeType === 3) return escapeText(node.textContent ?? '');
    if (node.nodeType !== 1) return '';
    const tag = node.nodeName.toLowerCase();
    const ownClass = Array.from(node.attributes ?? []).find((a) => a.name === 'class')?.value ?? '';
    scope = /^([-\w]+?)--/.exec(ownClass)?.[1] ?? scope;
    const attrs: Record<string, string> = {};
    for (const a of Array.from(node.attributes ?? [])) {
      if (a.name === 'class' || a.name === 'id' || a.name.startsWith('data-') || a.name === 'aria-label') attrs[a.name] = a.value;
    }
    const wxml: Record<string, unknown> = {};
    for (const a of node.__wxElement?._vt?.attrs ?? []) wxml[a.name] = a.value;
    // What the accessibility checks need: what is tapped, and the label an icon-only control carries.
    const events = node.__wxElement?._vt?.event ?? {};
    if (library !== 'inert' && TAP_EVENTS.some((e) => e in events)) attrs['data-tap'] = '';
    const childLibrary = library === 'none' && isLibraryTag(tag) ? (Object.keys(events).length ? 'live' : 'inert') : library;
    const ariaLabel = wxml['aria-label'] ?? wxml.ariaLabel;
    if (typeof ariaLabel === 'string' && ariaLabel) attrs['aria-label'] = ariaLabel;
    // Inline styles as written in the WXML (components set sizes and widths this way), rpx at 375 px.
    if (typeof wxml.style === 'string' && wxml.style.trim()) attrs.style = rpx(wxml.style);
    if (tag.startsWith('wx-')) {
      for (const name of LOOK_ATTRS) {
        const v = wxml[name];
        if (v === undefined || v === false || v === null || v === '') continue;
        if (name === 'src' || name === 'value' || name === 'placeholder') continue;
        attrs[name] = v === true ? '' : String(v);
      }
    }
    let inner = Array.from(node.childNodes)
      .map((child) => walk(child, scope, childLibrary))
      .join('');
    const str = (name: string) => (wxml[name] === undefined || wxml[name] === null ? '' : String(wxml[name]));
    if (tag === 'wx-image') {
      const src = str('src');
      const mode = str('mode') || 'scaleToFill';
      if (src) images.add(src);
      inner = src ? `<img data-wx-src="${escapeAttr(src)}" style="object-fit:${IMAGE_FIT[mode] ?? 'fill'}" alt="">` : '';
    } else if (tag === 'wx-input' || tag === 'wx-textarea') {
      const value = str('value');
      const shown = wxml.password === true ? '•'.repeat(value.length) : value;
      inner = value
        ? `<span class="wx-input__value">${escapeText(shown)}</span>`
        : `<span class="wx-input__placeholder${str('placeholderClass') ? ` ${scope}--${str('placeholderClass')}` : ''}">${escapeText(str('placeholder'))}</span>`;
    } else if (tag === 'wx-switch') {
      inner = `<span class="wx-switch__input"></span>${inner}`;
    } else if (tag === 'wx-checkbox' || tag === 'wx-radio') {
      inner = `<span class="wx-checkbox__input"></span>${inner}`;
    } else if (tag === 'wx-map') {
      inner = '<span class="wx-map__label">地图</span>';
    }
    const attrText = Object.entries(attrs)
      .map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`))
      .join('');
    return `<${tag}${attrText}>${inner}</${tag}>`;
  };
  return walk(root);
}

/** The bytes of an image a page shows, as a data: URL (API files, package assets, local test photos). */
async function imageDataUrl(src: string, apiUrl: string): Promise<string> {
  const mime = (file: string) =>
    /\.png$/i.test(file)
      ? 'image/png'
      : /\.webp$/i.test(file)
        ? 'image/webp'
        : /\.svg$/i.test(file)
          ? 'image/svg+xml'
          : 'image/jpeg';
  let url = src.startsWith(API_BASE) ? apiUrl + src.slice(API_BASE.length) : src;
  if (url.startsWith('/api/')) url = apiUrl + url;
  if (/^https?:/.test(url)) {
    const res = await fetch(url);
    if (!res.ok) return '';
    const type = res.headers.get('content-type') ?? 'image/jpeg';
    return `data:${type};base64,${Buffer.from(await res.arrayBuffer()).toString('base64')}`;
  }
  const file = url.startsWith('/') && !fs.existsSync(url) ? path.join(MINIPROGRAM_ROOT, url) : url;
  if (!fs.existsSync(file)) return '';
  return `data:${mime(file)};base64,${fs.readFileSync(file).toString('base64')}`;
}

/**
 * WeChat's default look of its built-ins (style v2, as app.json sets) where it differs from a plain
 * element, close enough to judge layout and legibility.
 */
const BASE_CSS = `
html { -webkit-text-size-adjust: none; }
html, body { margin: 0; padding: 0; }
body { font-family: -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif; font-size: 16px; }
::-webkit-scrollbar { display: none; }
wx-page { display: block; min-height: calc(100vh - var(--chrome-top)); }
wx-view, wx-scroll-view, wx-swiper, wx-swiper-item, wx-navigator, wx-form, wx-picker, wx-checkbox-group,
wx-radio-group, wx-cover-view, wx-movable-area, wx-picker-view, wx-editor, wx-progress, wx-slider { display: block; }
wx-text, wx-label, wx-rich-text { display: inline; }
wx-text { white-space: pre-wrap; }
wx-scroll-view { overflow: hidden; width: 100%; }
wx-scroll-view[scroll-x] { overflow-x: auto; }
wx-scroll-view[scroll-y] { overflow-y: auto; }
wx-image { display: inline-block; position: relative; width: 320px; height: 240px; overflow: hidden; }
wx-image[mode=widthFix] { height: auto; }
wx-image > img { display: block; width: 100%; height: 100%; }
wx-image[mode=widthFix] > img { height: auto; }
wx-button { position: relative; display: block; box-sizing: border-box; width: 184px; margin: 0 auto;
  padding: 12px 24px; border-radius: 8px; font-size: 17px; font-weight: 700; line-height: 1.41176471;
  text-align: center; color: #06ae56; background-color: #f2f2f2; overflow: hidden; }
wx-button[type=primary] { color: #fff; background-color: #07c160; }
wx-button[type=warn] { color: #fa5151; background-color: #f2f2f2; }
wx-button[plain] { background-color: transparent; border: 1px solid currentColor; }
wx-button[size=mini] { display: inline-block; width: auto; padding: 0 12px; line-height: 2.3; font-size: 13px;
  border-radius: 4px; }
wx-button[disabled] { color: rgba(0, 0, 0, 0.18) !important; background-color: #f2f2f2 !important; }
/* WeUI's dark button colours (app.json "darkmode": the built-in components follow the phone). */
@media (prefers-color-scheme: dark) {
  wx-button { color: #2fd17a; background-color: rgba(255, 255, 255, 0.08); }
  wx-button[type=warn] { color: #ff6b6b; background-color: rgba(255, 255, 255, 0.08); }
  wx-button[disabled] { color: rgba(255, 255, 255, 0.2) !important; background-color: rgba(255, 255, 255, 0.08) !important; }
}
wx-button[loading]::before { content: ''; display: inline-block; width: 1em; height: 1em; margin-right: 0.4em;
  vertical-align: -0.15em; border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%; }
wx-input { display: block; height: 1.4rem; min-height: 1.4rem; line-height: 1.4rem; overflow: hidden;
  white-space: nowrap; text-overflow: clip; }
wx-textarea { display: block; position: relative; width: 300px; height: 150px; overflow: hidden;
  white-space: pre-wrap; }
.wx-input__placeholder { color: #808080; }
wx-switch { display: inline-block; vertical-align: middle; }
.wx-switch__input { display: inline-block; position: relative; width: 52px; height: 32px; box-sizing: border-box;
  border-radius: 16px; background: rgba(0, 0, 0, 0.1); vertical-align: middle; }
.wx-switch__input::after { content: ''; position: absolute; top: 2px; left: 2px; width: 28px; height: 28px;
  border-radius: 50%; background: #fff; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.4); }
wx-switch[checked] .wx-switch__input { background: #07c160; }
wx-switch[checked] .wx-switch__input::after { left: 22px; }
wx-checkbox, wx-radio { display: inline-block; vertical-align: middle; }
.wx-checkbox__input { display: inline-block; position: relative; width: 22px; height: 22px; margin-right: 5px;
  box-sizing: border-box; border: 1px solid #d1d1d1; border-radius: 3px; background: #fff; vertical-align: middle; }
wx-radio .wx-checkbox__input { border-radius: 50%; }
wx-checkbox[checked] .wx-checkbox__input::after, wx-radio[checked] .wx-checkbox__input::after { content: '✓';
  position: absolute; inset: 0; text-align: center; line-height: 20px; font-size: 16px; color: #07c160; }
wx-map { display: block; position: relative; width: 300px; height: 150px; overflow: hidden;
  background: #e8eef0 repeating-linear-gradient(0deg, transparent 0 39px, #d5dde1 39px 40px),
  repeating-linear-gradient(90deg, transparent 0 39px, #d5dde1 39px 40px); }
.wx-map__label { position: absolute; left: 8px; top: 8px; font-size: 12px; color: rgba(0, 0, 0, 0.45); }
wx-icon { display: inline-block; width: 23px; height: 23px; border-radius: 50%; background: #07c160; }
[data-chrome] { font-family: -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif; }
.chrome-status { position: fixed; z-index: 1000; top: 0; left: 0; right: 0; height: ${SCREEN.statusBar}px;
  display: flex; align-items: center; justify-content: space-between; padding: 0 28px 0 32px; box-sizing: border-box;
  font-size: 15px; font-weight: 600; }
.chrome-status__icons { letter-spacing: 2px; font-size: 12px; }
.chrome-nav { position: fixed; z-index: 1000; top: ${SCREEN.statusBar}px; left: 0; right: 0; height: ${SCREEN.navBar}px;
  display: flex; align-items: center; justify-content: center; font-size: 17px; font-weight: 600; }
.chrome-nav__back { position: absolute; left: 12px; top: 11px; width: 12px; height: 12px; border-left: 2px solid;
  border-bottom: 2px solid; transform: translate(4px, 4px) rotate(45deg); }
.chrome-nav__title { max-width: 180px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.chrome-capsule { position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box;
  border: 0.5px solid rgba(0, 0, 0, 0.15); border-radius: 16px; background: rgba(255, 255, 255, 0.6);
  display: flex; align-items: center; justify-content: space-around; font-size: 14px; font-weight: 700; }
.chrome-capsule::before { content: '•••'; letter-spacing: 1px; }
.chrome-capsule::after { content: '◉'; font-weight: 400; }
.chrome-home { position: fixed; z-index: 1001; left: 50%; bottom: 8px; width: 134px; height: 5px; margin-left: -67px;
  border-radius: 3px; background: #000; pointer-events: none; }
`;

export interface PageShot {
  pagePath: string;
  /** Navigation bar title (from the page's JSON, or what it set with wx.setNavigationBarTitle). */
  title?: string;
  page: RenderedPage;
  /** The custom tab bar, rendered for this page (tab pages only). */
  tabBar?: RenderedPage;
}

/** The page as one self-contained HTML document of a 375 px wide phone screen. */
export async function pageHtml(shot: PageShot, apiUrl: string): Promise<string> {
  const images = new Set<string>();
  const body = domHtml(shot.page.dom as unknown as DomNode, images);
  const bar = shot.tabBar ? domHtml(shot.tabBar.dom as unknown as DomNode, images) : '';
  let html = `<wx-page>${body}</wx-page>\n${bar}`;
  for (const src of images) {
    const data = await imageDataUrl(src, apiUrl).catch(() => '');
    html = html.split(`data-wx-src="${escapeAttr(src)}"`).join(data ? `src="${data}"` : '');
  }
  const json = readJson(path.join(MINIPROGRAM_ROOT, `${shot.pagePath}.json`));
  const win = appJson.window;
  const navBgValue = json.navigationBarBackgroundColor ?? win.navigationBarBackgroundColor ?? '#ffffff';
  const navTextValue = json.navigationBarTextStyle ?? win.navigationBarTextStyle ?? 'black';
  const bgValue = json.backgroundColor ?? win.backgroundColor ?? '#ffffff';
  const textColor = (style: string) => (style === 'white' ? '#ffffff' : '#000000');
  const title = shot.title ?? json.navigationBarTitleText ?? win.navigationBarTitleText ?? '';
  const tab = isTabPage(shot.pagePath);
  const chromeTop = SCREEN.statusBar + SCREEN.navBar;
  const css = [
    BASE_CSS,
    `:root { --chrome-top: ${chromeTop}px; }`,
    // app.json "darkmode": values written `@name` come from theme.json's light or dark set.
    `:root { --wx-nav-bg: ${themed(navBgValue, 'light')}; --wx-nav-text: ${textColor(themed(navTextValue, 'light'))}; --wx-bg: ${themed(bgValue, 'light')}; }`,
    `@media (prefers-color-scheme: dark) { :root { --wx-nav-bg: ${themed(navBgValue, 'dark')}; --wx-nav-text: ${textColor(themed(navTextValue, 'dark'))}; --wx-bg: ${themed(bgValue, 'dark')}; } }`,
    `html { background-color: var(--wx-bg); }`,
    `body { padding-top: ${chromeTop}px; }`,
    `.chrome-status, .chrome-nav { background-color: var(--wx-nav-bg); color: var(--wx-nav-text); }`,
    pageCss(shot.pagePath),
    shot.tabBar ? compileWxss(readWxss(path.join(MINIPROGRAM_ROOT, 'custom-tab-bar/index.wxss')), 'custom-tab-bar') : '',
  ].join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>${css}</style></head>
<body>
<div class="chrome-status" data-chrome><span>9:41</span><span class="chrome-status__icons">▂▄▆ ◠ ▭</span></div>
<div class="chrome-nav" data-chrome>${tab ? '' : '<span class="chrome-nav__back"></span>'}<span class="chrome-nav__title">${escapeText(title)}</span><span class="chrome-capsule"></span></div>
${html}
<div class="chrome-home" data-chrome></div>
</body></html>`;
}

/**
 * Renders the custom tab bar (custom-tab-bar/, named `custom-tab-bar` so that its classes stay its
 * own) as WeChat shows it on the tab page `pagePath`; resolves once its unread badge is loaded.
 */
export async function renderTabBar(pagePath: string): Promise<RenderedPage> {
  const g = globalThis as unknown as {
    getCurrentPages?: () => { route: string }[];
    document: { createElement(t: string): unknown };
  };
  const previous = g.getCurrentPages;
  g.getCurrentPages = () => [{ route: pagePath }];
  try {
    const load = simulate.load as unknown as (p: string, tag: string, o: { rootPath: string }) => string;
    const id = load(path.join(MINIPROGRAM_ROOT, 'custom-tab-bar/index'), 'custom-tab-bar', { rootPath: MINIPROGRAM_ROOT });
    const bar = simulate.render(id);
    bar.attach(g.document.createElement('parent-wrapper'));
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    return bar;
  } finally {
    if (previous) g.getCurrentPages = previous;
    else delete g.getCurrentPages;
  }
}

// ------------------------------------------------------------------------------------------ Chromium

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
}

async function open(browser: Browser, html: string, dark: boolean) {
  const context = await browser.newContext({
    viewport: { width: SCREEN.width, height: SCREEN.height },
    deviceScaleFactor: 2,
    colorScheme: dark ? 'dark' : 'light',
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate('document.fonts.ready');
  return { context, page };
}

/** Writes the screen's 375×812 @2x PNG (what a phone shows on opening the page, not scrolled). */
export async function shoot(browser: Browser, html: string, file: string, opts: { dark?: boolean } = {}): Promise<void> {
  const { context, page } = await open(browser, html, !!opts.dark);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
  } finally {
    await context.close();
  }
}

export interface LayoutProblems {
  /** document.documentElement.scrollWidth (must be ≤ 375). */
  scrollWidth: number;
  /** Elements reaching past the right edge of the screen. */
  overflowing: string[];
  /** Visible text under 12 px: `"text" (size)`. */
  smallText: string[];
  /** Actions and text that stay behind the tab bar or in the bottom safe area even scrolled to the end. */
  hidden: string[];
  /** Tap targets (buttons, switches, anything bound to tap) smaller than 88 rpx (44 px) either way. */
  smallTargets: string[];
  /** Tap targets with neither text nor an aria-label (icon-only controls a screen reader cannot name). */
  unlabelled: string[];
  /** Text whose contrast with what is behind it is under 4.5:1, or 3:1 for symbol glyphs standing for icons (disabled controls excepted). */
  lowContrast: string[];
}

/**
 * Runs in the page (Chromium): measures overflow, small text and, scrolled to the end, what stays
 * covered by the tab bar or the home-indicator safe area. A string: the mini-program's typings have no DOM.
 */
const INSPECT = `(() => {
  const W = ${SCREEN.width}, H = ${SCREEN.height}, SAFE = ${SCREEN.safeBottom};
  const describe = (el) => {
    const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).slice(0, 2).join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 24);
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '') + (text ? ' "' + text + '"' : '');
  };
  const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const chrome = (el) => !!el.closest('[data-chrome]');
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const fixedAncestor = (el) => {
    for (let p = el; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).position === 'fixed') return p;
    return null;
  };
  const all = Array.from(document.body.querySelectorAll('*')).filter((el) => !chrome(el) && visible(el));
  const overflowing = all
    .filter((el) => el.getBoundingClientRect().right > W + 0.5 && !inScroller(el))
    .map((el) => describe(el) + ' right=' + Math.round(el.getBoundingClientRect().right));

  const smallText = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || chrome(el) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) smallText.push('"' + n.textContent.trim().slice(0, 24) + '" ' + size + 'px in ' + describe(el));
  }

  window.scrollTo(0, document.documentElement.scrollHeight);
  const tabBar = document.querySelector('custom-tab-bar');
  const ACTION = 'wx-button, wx-navigator, wx-input, wx-textarea, wx-switch, wx-checkbox, wx-picker, [data-action]';
  const hidden = [];
  for (const el of all) {
    if (tabBar && tabBar.contains(el)) continue;
    const isAction = el.matches(ACTION);
    const hasText = Array.from(el.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!isAction && !hasText) continue;
    const r = el.getBoundingClientRect();
    if (r.height === 0 || r.width === 0) continue;
    // Inside a scroll-view, what shows is clipped by it (and what is scrolled out is not covered).
    let bottom = r.bottom;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowY;
      if (o !== 'auto' && o !== 'scroll' && o !== 'hidden') continue;
      const clip = p.getBoundingClientRect();
      bottom = r.top >= clip.bottom ? -1 : Math.min(bottom, clip.bottom);
    }
    if (bottom < 0) continue;
    const fixed = fixedAncestor(el);
    // In the flow, only what cannot be scrolled out from under the bar counts; in a fixed bar, all of it.
    if (!fixed && r.top >= H) continue;
    const where = describe(el) + ' bottom=' + Math.round(bottom) + (fixed ? ' (fixed)' : '');
    if (bottom > H - SAFE + 0.5) {
      hidden.push(where + ' in the bottom safe area (> ' + (H - SAFE) + ')');
      continue;
    }
    // Covered by the tab bar: what is on top along its bottom edge belongs to the tab bar.
    const y = Math.max(r.top, Math.min(bottom, H) - 1);
    const covered = [0.25, 0.5, 0.75].some((f) => {
      const top = document.elementFromPoint(r.left + r.width * f, y);
      return !!(top && tabBar && tabBar.contains(top));
    });
    if (covered) hidden.push(where + ' behind the tab bar');
  }
  window.scrollTo(0, 0);

  // Tap targets: 88 rpx (44 px) both ways, and a name (text or aria-label).
  const TARGET = 'wx-button, wx-switch, wx-checkbox, wx-radio, wx-navigator, wx-picker, [data-tap]';
  const MIN = ${SCREEN.width} / 750 * 88;
  const smallTargets = [];
  const unlabelled = [];
  for (const el of all) {
    if (!el.matches(TARGET)) continue;
    // A switch, checkbox or radio inside a <label> is toggled by a tap anywhere on the label.
    const label = el.matches('wx-switch, wx-checkbox, wx-radio') ? el.closest('wx-label') : null;
    const r = (label || el).getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // A link inline in a sentence is exempt, as in WCAG 2.5.8 (《用户协议》 in the consent line).
    const parentText = el.parentElement ? (el.parentElement.textContent || '').trim() : '';
    const inSentence = getComputedStyle(el).display === 'inline' && parentText.length > (el.textContent || '').trim().length;
    if (!inSentence && (r.width < MIN - 0.5 || r.height < MIN - 0.5))
      smallTargets.push(describe(el) + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
    // Named by its text, its own or a descendant's aria-label, or the labelled group it is part of
    // (the stars of a rating, inside the library's template, by the rating's 4 星).
    const named = (el.textContent || '').trim() || el.querySelector('[aria-label]') || el.closest('[aria-label]');
    // A control is named by its label's text (or, outside a label, by its row's).
    const control = el.matches('wx-switch, wx-checkbox, wx-radio');
    const around = control ? label || el.parentElement : null;
    if (!named && !(around && (around.textContent || '').trim())) unlabelled.push(describe(el));
  }

  // Contrast (WCAG 2): the text colour over the colours behind it, composited, at least 4.5:1.
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a: a === undefined || Number.isNaN(a) ? 1 : a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const lum = (c) => {
    const ch = (v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  };
  // The background behind an element: its own and its ancestors' colours, stacked; null behind an image.
  const backdrop = (el) => {
    const layers = [];
    for (let p = el; p; p = p.parentElement) {
      const st = getComputedStyle(p);
      if (st.backgroundImage !== 'none' || p.tagName === 'IMG') return null;
      const c = parse(st.backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let base = parse(getComputedStyle(document.documentElement).backgroundColor);
    if (!base || base.a < 1) base = { r: 255, g: 255, b: 255, a: 1 };
    return layers.reverse().reduce((acc, c) => over(c, acc), base);
  };
  const lowContrast = [];
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || chrome(el) || !visible(el)) continue;
    if (el.closest('[disabled]')) continue;
    const st = getComputedStyle(el);
    const fg = parse(st.color);
    const bg = backdrop(el);
    if (!fg || !bg) continue;
    const opacity = (() => {
      let o = 1;
      for (let p = el; p; p = p.parentElement) o *= Number(getComputedStyle(p).opacity);
      return o;
    })();
    const shown = over({ ...fg, a: fg.a * opacity }, bg);
    const [hi, lo] = [lum(shown), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    // A glyph standing for a graphic (★ › ✕ +: no letter or digit) needs 3:1, as icons do (WCAG 1.4.11).
    const need = /^[^\\p{L}\\p{N}]+$/u.test(n.textContent.trim()) ? 3 : 4.5;
    if (ratio < need - 0.005)
      lowContrast.push('"' + n.textContent.trim().slice(0, 16) + '" ' + ratio.toFixed(2) + ':1 ' + st.color + ' on rgb(' +
        [bg.r, bg.g, bg.b].map(Math.round).join(',') + ') in ' + describe(el));
  }
  return { scrollWidth: document.documentElement.scrollWidth, overflowing, smallText, hidden, smallTargets, unlabelled, lowContrast };
})()`;

/** What the layout test checks, measured in Chromium at 375×812. */
export async function inspect(browser: Browser, html: string, opts: { dark?: boolean } = {}): Promise<LayoutProblems> {
  const { context, page } = await open(browser, html, !!opts.dark);
  try {
    return (await page.evaluate(INSPECT)) as LayoutProblems;
  } finally {
    await context.close();
  }
}

/**
 * Every rule of the layout test, by name, with what breaks it (each list empty when the screen
 * passes): measured light, and the contrast again dark.
 */
export async function layoutProblems(browser: Browser, html: string): Promise<Record<string, string[]>> {
  const light = await inspect(browser, html);
  const dark = await inspect(browser, html, { dark: true });
  return {
    'elements past the right edge': light.overflowing,
    'document wider than the screen': light.scrollWidth > SCREEN.width ? [`scrollWidth ${light.scrollWidth}`] : [],
    'behind the tab bar or in the bottom safe area': light.hidden,
    'text under 12 px': light.smallText,
    'tap targets under 88 rpx': light.smallTargets,
    'icon-only controls without an aria-label': light.unlabelled,
    'text under 4.5:1 (light)': light.lowContrast,
    'text under 4.5:1 (dark)': dark.lowContrast,
  };
}
