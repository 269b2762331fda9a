import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real servers and Chromium on 2 cores: a few files at a time.
    maxWorkers: 2,
    fileParallelism: true,
  },
})
