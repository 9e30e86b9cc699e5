/**
 * `npm run tune -- --dataset moons|mnist|cifar10 [options]`: searches
 * hyperparameters on a validation split, prints the ranked trials and the best
 * setting's test accuracy, writes results.csv and tune.svg, and with
 * --write-config puts the best setting into the student's config.json.
 */
import './inspector-guard.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { reportFailure } from '../common/flags.js';
import { HELP, parseTuneArgs } from '../tuning/args.js';
import { writeConfigSetting } from '../tuning/config-file.js';
import { createTuneProgress } from '../tuning/progress.js';
import { formatTable, limitWarning, resultsCsv, tunePlot } from '../tuning/report.js';
import { tune } from '../tuning/search.js';
import { describeSetting } from '../tuning/space.js';

async function main(argv: string[]): Promise<number> {
  const run = parseTuneArgs(argv);
  if (run === 'help') {
    console.log(HELP);
    return 0;
  }
  const result = await tune(run.request, createTuneProgress(process.stderr));
  console.log(formatTable(result.ranked));

  const files = { 'results.csv': resultsCsv(result.ranked), 'tune.svg': tunePlot(result.ranked, result.dataset, result.threshold) };
  try {
    await mkdir(run.out, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(run.out, name), text);
  } catch (cause) {
    throw new Error(`cannot write to ${run.out} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}) — pass a writable folder with --out`, { cause });
  }
  process.stderr.write(`wrote ${Object.keys(files).map((f) => path.join(run.out, f)).join(', ')}${result.stoppedByBudget ? ` (budget reached after ${result.trials.length} trials)` : ''}\n`);

  const { best, final } = result;
  if (!best) {
    const first = result.trials.find((t) => t.problem)?.problem ?? 'every trial diverged (NaN or Infinity)';
    throw new Error(`no trial finished with a usable network: ${first}`);
  }
  const s = best.setting;
  console.log(`\nbest: trial ${best.trial}, ${describeSetting(s)}, init ${s.init}, ${s.epochs} epochs${s.trainSize ? `, train size ${s.trainSize}` : ''}: validation accuracy ${best.valAccuracy.toFixed(4)}`);
  if (!final || 'problem' in final) throw new Error(`the best setting failed on the whole training set: ${final?.problem ?? 'not run'}`);
  const verdict = final.testAccuracy >= result.threshold ? 'met' : 'NOT met';
  console.log(`test accuracy ${final.testAccuracy.toFixed(4)} (trained on all ${result.examples.train + result.examples.validation} training examples in ${final.seconds.toFixed(1)}s with the grader's seed; the grader's bar for ${result.dataset} is ${result.threshold}: ${verdict})`);
  const limitProblem = limitWarning(final.limitTime, result.timeLimitSec);
  if (limitProblem) process.stderr.write(`${limitProblem}\n`);

  if (run.writeConfig !== undefined) {
    await writeConfigSetting(run.writeConfig, result.dataset, s);
    const shown = path.relative(process.cwd(), run.writeConfig);
    process.stderr.write(`wrote the best setting to ${shown.startsWith('..') ? run.writeConfig : shown} under "${result.dataset}"\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = reportFailure('tune', err);
});
