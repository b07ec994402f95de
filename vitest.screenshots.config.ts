// `npm run screenshots`: every mini-program page in its main states, photographed in Chromium
// (miniprogram/test/screenshots/all.shots.ts). Kept out of `npm test`, which runs the layout test.
// CommonJS, like vitest.config.ts (an `import` statement would make the file ESM in a CommonJS package).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import base = require('./vitest.config');

export = {
  ...base,
  test: {
    ...base.test,
    include: ['miniprogram/test/screenshots/*.shots.ts'],
    testTimeout: 120_000,
  },
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- an import statement would make the file ESM
} satisfies import('vitest/config').ViteUserConfig;
