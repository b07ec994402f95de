// CommonJS, like the package: an `import` or `export default` here makes Vite warn on every run (the
// file would be ESM in a CommonJS package). `satisfies` checks the options as defineConfig would.
export = {
  test: {
    include: [
      'api/**/*.test.ts',
      'scripts/**/*.test.ts',
      'migrations/**/*.test.ts',
      'miniprogram/**/*.test.ts',
      'admin/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    // Migrates once per run: each file's database is a copy of this migrated template (api/test/db-template.ts).
    globalSetup: ['api/test/global-setup.ts', 'miniprogram/test/global-setup.ts'],
    // Each file builds its own database; on MariaDB that is a real CREATE DATABASE and a schema copy.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
    reporters: ['default'],
  },
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports -- an import statement would make the file ESM
} satisfies import('vitest/config').ViteUserConfig;
