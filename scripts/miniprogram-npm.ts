/**
 * Builds the mini-program's npm packages into miniprogram/miniprogram_npm the way WeChat DevTools'
 * "构建 npm" does, with miniprogram-ci's packNpmManually (Tencent's CI module, the same packer).
 *
 *   npm run miniprogram:npm                   always builds
 *   tsx scripts/miniprogram-npm.ts --if-missing   builds only when miniprogram_npm is missing or
 *                                            older than miniprogram/package.json (the tests' set-up)
 *
 * The mini-program's own dependencies are listed in miniprogram/package.json (what DevTools reads,
 * see project.config.json's packNpmRelationList); the root package.json lists the same versions (as
 * devDependencies: the API's production image needs none of them) so that `npm ci` installs them. The packer reads every package.json under the folder it
 * is given, so it runs on a staging copy holding only those packages (and theirs), never on the
 * root node_modules with the API's dependencies in it.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const MINIPROGRAM = path.join(ROOT, 'miniprogram');
export const NPM_DIST = path.join(MINIPROGRAM, 'miniprogram_npm');
const MANIFEST = path.join(MINIPROGRAM, 'package.json');
const STAGING = path.join(ROOT, '.tmp', 'miniprogram-npm');

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The mini-program's dependencies, checked against the root package.json (one version of each). */
export function miniprogramDependencies(): Record<string, string> {
  const own = readJson<Manifest>(MANIFEST).dependencies ?? {};
  const rootManifest = readJson<Manifest>(path.join(ROOT, 'package.json'));
  const root = { ...rootManifest.dependencies, ...rootManifest.devDependencies };
  for (const [name, range] of Object.entries(own)) {
    if (root[name] !== range) {
      throw new Error(`${name}: miniprogram/package.json wants ${range}, the root package.json ${root[name] ?? 'nothing'}`);
    }
  }
  return own;
}

/** Copies a package from the root node_modules, and the packages it depends on, into the staging folder. */
function stage(name: string, seen: Set<string>): void {
  if (seen.has(name)) return;
  seen.add(name);
  const from = path.join(ROOT, 'node_modules', name);
  if (!fs.existsSync(from)) throw new Error(`${name} is not installed: run npm ci`);
  fs.cpSync(from, path.join(STAGING, 'node_modules', name), { recursive: true, dereference: true });
  for (const dep of Object.keys(readJson<Manifest>(path.join(from, 'package.json')).dependencies ?? {})) stage(dep, seen);
}

export function npmIsStale(): boolean {
  if (!fs.existsSync(NPM_DIST)) return true;
  return fs.statSync(MANIFEST).mtimeMs > fs.statSync(NPM_DIST).mtimeMs;
}

/** Packs the mini-program's npm dependencies into miniprogram/miniprogram_npm (replacing what was there). */
export async function buildMiniprogramNpm(options: { quiet?: boolean } = {}): Promise<void> {
  const deps = miniprogramDependencies();
  fs.rmSync(STAGING, { recursive: true, force: true });
  fs.mkdirSync(STAGING, { recursive: true });
  fs.writeFileSync(path.join(STAGING, 'package.json'), JSON.stringify({ private: true, dependencies: deps }));
  const seen = new Set<string>();
  for (const name of Object.keys(deps)) stage(name, seen);

  const { packNpmManually } = await import('miniprogram-ci');
  const building = `${NPM_DIST}.building`;
  fs.rmSync(building, { recursive: true, force: true });
  // packNpmManually writes <miniprogramNpmDistDir>/miniprogram_npm: pack into a side folder, then swap,
  // so a run that fails half-way (or a test worker reading meanwhile) never sees a partial build.
  const result = await packNpmManually({
    packageJsonPath: path.join(STAGING, 'package.json'),
    miniprogramNpmDistDir: building,
  });
  if (result.warnList.length) {
    throw new Error(`packNpm warned:\n${result.warnList.map((w) => `  ${w.jsPath}: ${w.msg}`).join('\n')}`);
  }
  fs.rmSync(NPM_DIST, { recursive: true, force: true });
  fs.renameSync(path.join(building, 'miniprogram_npm'), NPM_DIST);
  fs.rmSync(building, { recursive: true, force: true });
  fs.rmSync(STAGING, { recursive: true, force: true });
  if (!options.quiet) {
    process.stdout.write(
      `miniprogram_npm built: ${result.miniProgramPackNum} mini-program package(s), ${result.otherNpmPackNum} other(s)\n`,
    );
  }
}

/** Builds miniprogram_npm when it is missing or older than miniprogram/package.json. */
export async function ensureMiniprogramNpm(options: { quiet?: boolean } = {}): Promise<boolean> {
  if (!npmIsStale()) return false;
  await buildMiniprogramNpm(options);
  return true;
}

// (Node's require: miniprogram/tsconfig.json, which checks the tests' set-up importing this file, types
// `require` as the mini-program's.)
if ((require as unknown as NodeJS.Require).main === module) {
  const ifMissing = process.argv.includes('--if-missing');
  (ifMissing ? ensureMiniprogramNpm() : buildMiniprogramNpm().then(() => true)).then(
    (built) => {
      if (!built) process.stdout.write('miniprogram_npm is up to date\n');
    },
    (err: unknown) => {
      process.stderr.write(`building miniprogram_npm failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
