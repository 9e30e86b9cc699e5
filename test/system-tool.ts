/**
 * System programs some tests need (Chromium, prlimit, ...). Outside CI a test whose tool is
 * missing is skipped with a note saying how to install it; under CI=true it runs and fails with
 * that note, because CI installs every tool (.ci/run) and a skipped check there would pass unseen.
 */

/** True under CI (the CI sets CI=true), where no test may be skipped for a missing tool. */
export const IN_CI = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

export interface SystemTool {
  /** Whether the tool was found. */
  present: boolean;
  /** For `it.skipIf`: true only where the tool is missing outside CI. */
  skip: boolean;
  /** Appended to the test's title: says it is skipped and how to install the tool, or ''. */
  note: string;
  /** Call first in the test: under CI, a missing tool fails the test with the install command. */
  check(): void;
}

/** Describes a tool a test needs: `name` for messages, whether it is `present`, and the command that installs it. */
export function systemTool(name: string, present: boolean, install: string, inCi = IN_CI): SystemTool {
  return {
    present,
    skip: !present && !inCi,
    note: present || inCi ? '' : ` (skipped: ${name} is not installed; ${install})`,
    check() {
      if (!present) throw new Error(`${name} is not installed, and CI=true does not skip the tests that need it: ${install} (.ci/run installs it)`);
    },
  };
}
