import { configDefaults, defineConfig } from 'vitest/config';

/** Test files that need gigabytes (hostile memory tests): run one at a time, after everything else. */
const HEAVY = 'test/**/*.heavy.test.ts';

// Two cores here: at most two test files at once, and generous timeouts for the training tests.
// Two stages in one run: `parallel` first, then `heavy` one file at a time (sequence.groupOrder),
// so a gigabyte-scale test never shares the machine with another test file.
export default defineConfig({
  test: {
    pool: 'forks',
    // the tests grade hostile submissions in-process, as the CLIs do: with the SIGUSR1 guard first
    setupFiles: ['cli/inspector-guard.ts'],
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, HEAVY],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'heavy',
          include: [HEAVY],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
