/**
 * The Stryker test runner of `npm run mutation`: each mutant of reference/ is
 * graded as a submission on the unit parts (train_loop included) against the
 * committed fixtures, and is killed when it loses any case. Stryker runs this
 * in its worker processes, whose working directory is the sandbox holding the
 * instrumented reference/; the grader itself is this repository's own code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  declareFactoryPlugin, PluginKind,
} from '@stryker-mutator/api/plugin';
import {
  DryRunStatus, MutantRunStatus, TestStatus,
  type DryRunResult, type MutantRunOptions, type MutantRunResult, type TestRunner, type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import { loadFixtures } from '../../grader/fixtures/load.js';
import { grade } from '../../grader/grade.js';
import type { GradingResults } from '../../grader/results.js';
import { writeMutantSubmission } from './mutant-submission.js';

/** A mutant that loops forever loses its case after this long (the reference's slowest call takes milliseconds). */
export const MUTANT_CALL_TIMEOUT_MS = 3_000;

/** One graded case, as Stryker reports it: `part/case` and its feedback when it was lost. */
export interface CaseOutcome { id: string; passed: boolean; message: string; timeMs: number }

/** Grades the instrumented reference in `referenceDir` with mutant `activeMutant` ('' for none) on every unit part. */
export async function gradeMutant(referenceDir: string, activeMutant: string): Promise<CaseOutcome[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mutant-'));
  try {
    await writeMutantSubmission(dir, referenceDir, activeMutant);
    const parts = (await loadFixtures()).parts.filter((p) => p.kind === 'unit').map((p) => p.id);
    return caseOutcomes(await grade({ submission: dir, parts, callTimeoutMs: MUTANT_CALL_TIMEOUT_MS }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function caseOutcomes(results: GradingResults): CaseOutcome[] {
  return results.parts.flatMap((p) => p.cases.map((c) => ({
    id: `${p.id}/${c.id}`, passed: c.status === 'passed', message: [c.status, ...c.feedback].join(': '), timeMs: c.timeMs,
  })));
}

/** Stryker's view of the grader: every unit case is a test. */
class GraderTestRunner implements TestRunner {
  private readonly referenceDir = path.join(process.cwd(), 'reference');

  capabilities(): TestRunnerCapabilities {
    // every run builds and starts a fresh child, so a static mutant is loaded anew each time
    return { reloadEnvironment: true };
  }

  async dryRun(): Promise<DryRunResult> {
    try {
      const cases = await gradeMutant(this.referenceDir, '');
      return {
        status: DryRunStatus.Complete,
        tests: cases.map((c) => (c.passed
          ? { id: c.id, name: c.id, timeSpentMs: c.timeMs, status: TestStatus.Success }
          : { id: c.id, name: c.id, timeSpentMs: c.timeMs, status: TestStatus.Failed, failureMessage: c.message })),
      };
    } catch (err) {
      return { status: DryRunStatus.Error, errorMessage: `grading the unmutated reference failed: ${(err as Error).message}` };
    }
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    try {
      const cases = await gradeMutant(this.referenceDir, options.activeMutant.id);
      const lost = cases.filter((c) => !c.passed);
      if (lost.length === 0) return { status: MutantRunStatus.Survived, nrOfTests: cases.length };
      return { status: MutantRunStatus.Killed, killedBy: lost.map((c) => c.id), failureMessage: lost[0].message, nrOfTests: cases.length };
    } catch (err) {
      return { status: MutantRunStatus.Error, errorMessage: (err as Error).message };
    }
  }
}

function createGraderTestRunner(): TestRunner {
  return new GraderTestRunner();
}
createGraderTestRunner.inject = [] as const;

/** Registers the runner under the name `bp-grader` (stryker.config.json's `testRunner`). */
export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'bp-grader', createGraderTestRunner)];
