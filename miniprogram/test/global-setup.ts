/// <reference types="node" />
/**
 * vitest global set-up: the mini-program's pages use the component library from miniprogram_npm,
 * which is built output (git-ignored). A clean clone builds it here, once per run, the way
 * `npm run miniprogram:npm` does (scripts/miniprogram-npm.ts, miniprogram-ci's packNpm).
 */
import { ensureMiniprogramNpm } from '../../scripts/miniprogram-npm';

export default async function setup(): Promise<void> {
  await ensureMiniprogramNpm({ quiet: true });
}
