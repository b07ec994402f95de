/**
 * Builds the ops console (admin/, Vue + Vite) into admin/dist, which the API serves at /admin.
 *   npm run build:admin            always builds
 *   tsx scripts/build-admin.ts --if-stale   (npm's prestart) builds only when admin/dist is missing
 *                                  or older than any console source, so `npm start` stays fast
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const ADMIN = path.join(ROOT, 'admin');
const BUILT = path.join(ADMIN, 'dist', 'index.html');
/** What the bundle is made from (the console also imports the API's permission table). */
const SOURCES = [
  path.join(ADMIN, 'src'),
  path.join(ADMIN, 'index.html'),
  path.join(ADMIN, 'vite.config.mts'),
  path.join(ROOT, 'api', 'src', 'shared', 'permissions.ts'),
];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), stat.mtimeMs);
}

export function consoleIsStale(): boolean {
  if (!fs.existsSync(BUILT)) return true;
  const built = fs.statSync(BUILT).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

/** Builds the console with Vite's API (the config in admin/vite.config.mts); quiet unless told. */
export async function buildConsole(options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(ADMIN, 'vite.config.mts'), logLevel: options.quiet ? 'warn' : 'info' });
}

if (require.main === module) {
  const ifStale = process.argv.includes('--if-stale');
  const work = ifStale && !consoleIsStale() ? Promise.resolve(false) : buildConsole().then(() => true);
  work.then(
    (built) => {
      if (!built) process.stdout.write('ops console is up to date (admin/dist)\n');
    },
    (err: unknown) => {
      process.stderr.write(`building the ops console failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
