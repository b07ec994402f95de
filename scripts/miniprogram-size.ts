/**
 * WeChat's package limits, measured on what DevTools uploads: `npm run miniprogram:size` prints the
 * size of the main package, each subpackage and the whole, and fails past 2 MB per package or 20 MB
 * in all (https://developers.weixin.qq.com/miniprogram/dev/framework/subpackages.html).
 *
 * What is uploaded: every file under miniprogram/ except what project.config.json's packOptions
 * ignore (tests, typings, tsconfig), the local node_modules and type declarations; TypeScript counts
 * as the JavaScript it compiles to (DevTools' typescript compiler plugin), unminified (an upper
 * bound of the upload). The component library in miniprogram_npm (built by `npm run
 * miniprogram:npm`, which runs first if it is missing) counts as DevTools uploads it with
 * `setting.ignoreUploadUnusedFiles`: only the components reachable through `usingComponents` from
 * app.json, the pages, the custom tab bar and their components, transitively, with the files those
 * components load (their .json/.js/.wxml/.wxss, and the JS `require`s, WXSS `@import`s, WXML
 * `<wxs>`/`<import>`/`<include>` and WXS `require`s they reach).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ensureMiniprogramNpm } from './miniprogram-npm';

export const PACKAGE_LIMIT = 2 * 1024 * 1024;
export const TOTAL_LIMIT = 20 * 1024 * 1024;
const MAIN = '(main)';

interface PackOption {
  type: 'file' | 'folder' | 'glob' | 'suffix' | 'prefix';
  value: string;
}

export interface PackageSizes {
  /** Bytes by package: '(main)' and each subpackage root. */
  packages: Record<string, number>;
  total: number;
  files: number;
  /** The component library files uploaded (part of the main package). */
  npm: { files: number; bytes: number };
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  // One pass, so that what `**` becomes is not rewritten again as a `*`.
  const pattern = escaped.replace(/\*\*\/|\*\*|\*/g, (m) => (m === '**/' ? '(?:.*/)?' : m === '**' ? '.*' : '[^/]*'));
  return new RegExp(`^${pattern}$`);
}

function ignoredBy(options: PackOption[]): (rel: string) => boolean {
  return (rel) =>
    rel.startsWith('node_modules/') ||
    rel.endsWith('.d.ts') ||
    options.some((o) => {
      if (o.type === 'file') return rel === o.value;
      if (o.type === 'folder') return rel === o.value || rel.startsWith(`${o.value.replace(/\/$/, '')}/`);
      if (o.type === 'suffix') return rel.endsWith(o.value);
      if (o.type === 'prefix') return rel.startsWith(o.value);
      return globToRegExp(o.value).test(rel);
    });
}

/** The bytes a file adds to its package once built. */
function builtSize(file: string): number {
  if (!file.endsWith('.ts')) return fs.statSync(file).size;
  const source = fs.readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: file,
  });
  return Buffer.byteLength(outputText);
}

function walk(dir: string, root: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else out.push(path.relative(root, full).split(path.sep).join('/'));
  }
}

interface AppJson {
  pages?: string[];
  subpackages?: { root: string; pages?: string[] }[];
  subPackages?: { root: string; pages?: string[] }[];
  usingComponents?: Record<string, string>;
  tabBar?: { custom?: boolean };
}

const NPM_DIR = 'miniprogram_npm';
const exists = (root: string, rel: string) => fs.existsSync(path.join(root, rel));
const posix = path.posix;

/**
 * Where a `usingComponents` entry of the component at `from` (root-relative, no extension) points,
 * as DevTools resolves it: '/x' from the root, './x' and '../x' from the component's folder, and a
 * package path ('@vant/weapp/button/index') in the nearest miniprogram_npm up the tree; a folder
 * means its index. Undefined for plugins and paths that lead nowhere.
 */
function resolveComponent(root: string, from: string, value: string): string | undefined {
  if (value.startsWith('plugin://') || value.startsWith('plugin-private://')) return undefined;
  const candidates: string[] = [];
  if (value.startsWith('/')) candidates.push(posix.normalize(value.slice(1)));
  else if (value.startsWith('.')) candidates.push(posix.join(posix.dirname(from), value));
  else {
    candidates.push(posix.join(posix.dirname(from), value));
    for (let dir = posix.dirname(from); ; dir = posix.dirname(dir)) {
      candidates.push(posix.join(dir === '.' ? '' : dir, NPM_DIR, value));
      if (dir === '.' || dir === '') break;
    }
  }
  for (const c of candidates) {
    if (exists(root, `${c}.json`)) return c;
    if (exists(root, `${c}/index.json`)) return `${c}/index`;
  }
  return undefined;
}

/** The files a file loads: JS/WXS requires, WXSS imports, WXML wxs/import/include sources. */
function dependenciesOf(root: string, rel: string): string[] {
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const specs: string[] = [];
  const collect = (re: RegExp) => {
    for (const m of text.matchAll(re)) specs.push(m[1]!);
  };
  if (rel.endsWith('.js') || rel.endsWith('.wxs')) collect(/require\(\s*['"]([^'"]+)['"]\s*\)/g);
  else if (rel.endsWith('.wxss')) collect(/@import\s+['"]([^'"]+)['"]/g);
  else if (rel.endsWith('.wxml')) collect(/<(?:wxs|import|include)\b[^>]*\bsrc\s*=\s*['"]([^'"]+)['"]/g);
  const ext = posix.extname(rel);
  const out: string[] = [];
  for (const spec of specs) {
    const base = spec.startsWith('/') ? posix.normalize(spec.slice(1)) : posix.join(posix.dirname(rel), spec);
    const found = [base, `${base}${ext}`, `${base}.js`, `${base}/index.js`].find(
      (c) => exists(root, c) && fs.statSync(path.join(root, c)).isFile(),
    );
    if (found) out.push(found);
  }
  return out;
}

/**
 * The files under miniprogram_npm that are uploaded: those of the components reachable from the app,
 * and what they load. (The app's own files all count: an upper bound.)
 */
export function usedNpmFiles(root: string, app: AppJson): Set<string> {
  const pages = [
    ...(app.pages ?? []),
    ...(app.subpackages ?? app.subPackages ?? []).flatMap((s) => (s.pages ?? []).map((p) => posix.join(s.root, p))),
  ];
  if (app.tabBar?.custom) pages.push('custom-tab-bar/index');
  const seenComponents = new Set<string>();
  const files = new Set<string>();
  const visitFile = (rel: string) => {
    if (files.has(rel)) return;
    files.add(rel);
    if (/\.(js|wxs|wxss|wxml)$/.test(rel)) for (const dep of dependenciesOf(root, rel)) visitFile(dep);
  };
  const visitComponent = (component: string, inherited: Record<string, string>) => {
    if (seenComponents.has(component)) return;
    seenComponents.add(component);
    const jsonFile = `${component}.json`;
    const json = exists(root, jsonFile)
      ? (JSON.parse(fs.readFileSync(path.join(root, jsonFile), 'utf8')) as { usingComponents?: Record<string, string> })
      : {};
    for (const ext of ['.json', '.js', '.wxml', '.wxss']) if (exists(root, `${component}${ext}`)) visitFile(`${component}${ext}`);
    for (const value of Object.values({ ...inherited, ...json.usingComponents })) {
      const target = resolveComponent(root, component, value);
      if (target) visitComponent(target, {});
    }
  };
  // app.json's usingComponents are global: every page may use them.
  for (const page of pages) visitComponent(page, app.usingComponents ?? {});
  return new Set([...files].filter((f) => f.startsWith(`${NPM_DIR}/`)));
}

/** Measures the mini-program rooted at `root` (its app.json and project.config.json). */
export function measure(root: string): PackageSizes {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as AppJson;
  const roots = (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const projectFile = path.join(root, 'project.config.json');
  const project = fs.existsSync(projectFile)
    ? (JSON.parse(fs.readFileSync(projectFile, 'utf8')) as { packOptions?: { ignore?: PackOption[] } })
    : {};
  const ignored = ignoredBy(project.packOptions?.ignore ?? []);
  const usedNpm = usedNpmFiles(root, app);
  const files: string[] = [];
  walk(root, root, files);
  const packages: Record<string, number> = { [MAIN]: 0, ...Object.fromEntries(roots.map((r) => [r, 0])) };
  let count = 0;
  for (const rel of files) {
    if (ignored(rel)) continue;
    if (rel.startsWith(`${NPM_DIR}/`) && !usedNpm.has(rel)) continue;
    const owner = roots.find((r) => rel.startsWith(`${r}/`)) ?? MAIN;
    packages[owner] = (packages[owner] ?? 0) + builtSize(path.join(root, rel));
    count += 1;
  }
  const npmBytes = [...usedNpm].reduce((sum, rel) => sum + fs.statSync(path.join(root, rel)).size, 0);
  return {
    packages,
    total: Object.values(packages).reduce((a, b) => a + b, 0),
    files: count,
    npm: { files: usedNpm.size, bytes: npmBytes },
  };
}

/** The limits each package and the whole break, in words; empty when within them. */
export function overLimits(sizes: PackageSizes): string[] {
  const problems = Object.entries(sizes.packages)
    .filter(([, bytes]) => bytes > PACKAGE_LIMIT)
    .map(([name, bytes]) => `${name} is ${kb(bytes)}, over the 2 MB package limit`);
  if (sizes.total > TOTAL_LIMIT) problems.push(`the whole is ${kb(sizes.total)}, over the 20 MB limit`);
  return problems;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function report(sizes: PackageSizes): string {
  const rows = Object.entries(sizes.packages).map(
    ([name, bytes]) => `  ${name.padEnd(22)} ${kb(bytes).padStart(10)}  (${((bytes / PACKAGE_LIMIT) * 100).toFixed(1)}% of 2 MB)`,
  );
  return [
    `mini-program packages (${sizes.files} files):`,
    ...rows,
    `  ${'total'.padEnd(22)} ${kb(sizes.total).padStart(10)}  (${((sizes.total / TOTAL_LIMIT) * 100).toFixed(1)}% of 20 MB)`,
    `  of which miniprogram_npm (used components only): ${sizes.npm.files} files, ${kb(sizes.npm.bytes)}`,
  ].join('\n');
}

if (require.main === module) {
  ensureMiniprogramNpm().then(
    () => {
      const sizes = measure(path.resolve(__dirname, '../miniprogram'));
      process.stdout.write(`${report(sizes)}\n`);
      const problems = overLimits(sizes);
      if (problems.length) {
        process.stderr.write(`\nOver WeChat's package limits:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
        process.exit(1);
      }
    },
    (err: unknown) => {
      process.stderr.write(`building miniprogram_npm failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
