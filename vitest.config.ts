import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: on a loaded 2-core machine a test that runs the CLI can take ten times as long as on a quiet one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    // Each worker process runs many files: a file no longer pays Node's start-up and the loading of DuckDB, Arrow and
    // vega again (tests restore any environment variable they set).
    isolate: false,
    // Two workers on two cores: many tests wait for a CLI process or a worker thread, leaving a core free.
    minWorkers: 1,
    maxWorkers: 2,
    // @oclif/test captures stdout itself; vitest's console interception would swallow it.
    disableConsoleIntercept: true,
  },
})
