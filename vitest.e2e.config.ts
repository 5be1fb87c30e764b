import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end: real Chromium (Debian's, through playwright-core) against the production build, with
 * realtime and worker running. The global setup starts and stops every process it needs.
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/setup/global-setup.ts'],
    setupFiles: ['tests/e2e/setup/env.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // One browser at a time: 2 cores shared with the three servers under test.
    fileParallelism: false,
  },
});
