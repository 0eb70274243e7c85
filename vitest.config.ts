import { defineConfig } from 'vitest/config'

// Unit tests sit next to the code; integration tests need a real Docker engine and run in their own project.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'container/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node'
        }
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Integration tests share one engine; running files one at a time keeps them from starving each other on 2 cores.
          fileParallelism: false
        }
      }
    ]
  }
})
