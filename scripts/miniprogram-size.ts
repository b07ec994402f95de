/**
 * WeChat's package limits, measured on what DevTools uploads: `npm run miniprogram:size` prints the
 * size of the main package, each subpackage and the whole, and fails past 2 MB per package or 20 MB
 * in all (https://developers.weixin.qq.com/miniprogram/dev/framework/subpackages.html).
 *
 * What is uploaded: every file under miniprogram/ except what project.config.json's packOptions
 * ignore (tests, typings, tsconfig), the local node_modules (DevTools builds npm into
 * miniprogram_npm, which counts) and type declarations; TypeScript counts as the JavaScript it
 * compiles to (DevTools' typescript compiler plugin), unminified (an upper bound of the upload).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

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

/** Measures the mini-program rooted at `root` (its app.json and project.config.json). */
export function measure(root: string): PackageSizes {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
    subpackages?: { root: string }[];
    subPackages?: { root: string }[];
  };
  const roots = (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const projectFile = path.join(root, 'project.config.json');
  const project = fs.existsSync(projectFile)
    ? (JSON.parse(fs.readFileSync(projectFile, 'utf8')) as { packOptions?: { ignore?: PackOption[] } })
    : {};
  const ignored = ignoredBy(project.packOptions?.ignore ?? []);
  const files: string[] = [];
  walk(root, root, files);
  const packages: Record<string, number> = { [MAIN]: 0, ...Object.fromEntries(roots.map((r) => [r, 0])) };
  let count = 0;
  for (const rel of files) {
    if (ignored(rel)) continue;
    const owner = roots.find((r) => rel.startsWith(`${r}/`)) ?? MAIN;
    packages[owner] = (packages[owner] ?? 0) + builtSize(path.join(root, rel));
    count += 1;
  }
  return { packages, total: Object.values(packages).reduce((a, b) => a + b, 0), files: count };
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
  ].join('\n');
}

if (require.main === module) {
  const sizes = measure(path.resolve(__dirname, '../miniprogram'));
  process.stdout.write(`${report(sizes)}\n`);
  const problems = overLimits(sizes);
  if (problems.length) {
    process.stderr.write(`\nOver WeChat's package limits:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
}
