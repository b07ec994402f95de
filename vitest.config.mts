import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'api/**/*.test.ts',
      'scripts/**/*.test.ts',
      'migrations/**/*.test.ts',
      'miniprogram/**/*.test.ts',
      'admin/**/*.test.ts',
    ],
    environment: 'node',
    pool: 'forks',
    // Each file builds its own database; on MariaDB that is a real CREATE DATABASE + migrations.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
    reporters: ['default'],
  },
});
