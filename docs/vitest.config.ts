import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['tessera-source'] },
  ssr: { resolve: { conditions: ['tessera-source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds docs/dist once when it is missing, before the test files run (they read it).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000, // the browser test's setup may install Chromium with apt-get
  },
});
