import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    reporters: ['default', './test/vitest-skip-reasons-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})
