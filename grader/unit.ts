/**
 * Grades one unit part: calls each case in the child, compares every output,
 * and turns what went wrong into feedback a student can act on.
 */
import type { Encoded } from './codec.js';
import { compare, elementName } from './compare.js';
import type { FixturePart, UnitCase } from './fixtures/types.generated.js';
import { genericHints, signatureHints } from './hints.js';
import { getPath } from './paths.js';
import type { CaseResult, CaseStatus } from './results.js';
import { OutputCap } from './sandbox/output-cap.js';
import type { CallOutcome, SubmissionRunner } from './sandbox/runner.js';
import { fmt, selfCheckLine } from './selfcheck.js';
import { historyDeparture } from './train-loop-feedback.js';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_TIME_LIMITS, seconds, type UnitBudget } from './time-budget.js';

export { DEFAULT_CALL_TIMEOUT_MS };
/** The longest per-call limit a user may set: Node's timers hold at most 2^31 - 1 ms. */
export const MAX_CALL_TIMEOUT_S = 2_147_483;

/** Names the stub that threw, which may be a function the graded one calls. */
function notImplementedLine(fn: string, message: string): string {
  const callee = /^(\S+) is not implemented yet/.exec(message)?.[1];
  return callee && callee !== fn ? `${fn} calls ${callee}, which is not implemented yet` : `${fn} is not implemented yet`;
}

/** Feedback for a call that did not return a value. */
export function outcomeProblem(fn: string, outcome: Exclude<CallOutcome, { kind: 'ok' }>, timeoutMs: number): { status: CaseStatus; line: string } {
  switch (outcome.kind) {
    case 'threw':
      return outcome.notImplemented
        ? { status: 'not_implemented', line: notImplementedLine(fn, outcome.message) }
        : { status: 'error', line: `${fn} threw ${outcome.name}: ${outcome.message}${outcome.location ? ` (at ${outcome.location})` : ''}` };
    case 'timeout':
      return { status: 'timeout', line: `${fn} did not return within ${timeoutMs / 1000} s (an endless loop?); grading went on in a fresh process` };
    case 'crashed':
      return { status: 'crashed', line: `the process running ${fn} died: ${outcome.message}` };
    case 'compile_error':
      return { status: 'compile_error', line: outcome.message };
    case 'missing':
      return { status: 'error', line: `${outcome.message}: keep the function names and signatures of the starter files` };
  }
}

/** "a", "a and b", "a, b and c". */
function joinNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Compares a returned value with every expected output of the case. */
async function judge(runner: SubmissionRunner, c: UnitCase, value: Encoded, timeoutMs: number): Promise<{ ok: boolean; feedback: string[]; hints: string[] }> {
  const feedback: string[] = [];
  const hints: string[] = [];
  const wrongGradPaths: string[] = [];
  const patterns = new Map<string, { text: (names: string) => string; names: string[] }>();
  for (const out of c.outputs) {
    const got = getPath(value, out.path);
    const cmp = compare(out.expected, got, out.tolerance);
    if (cmp.ok) continue;
    wrongGradPaths.push(out.path);
    const label = `${c.fn} -> ${out.name}`;
    if (cmp.problem === 'value' && cmp.worst && cmp.actual) {
      const w = cmp.worst;
      const where = cmp.actual.kind === 'number' ? 'wrong value' : `wrong values; worst element ${out.name}${elementName(cmp.actual, w.index)}`;
      feedback.push(
        `${label}: ${where}: expected ${fmt(w.expected)}, got ${fmt(w.got)} ` +
        `(relative error ${w.relError.toExponential(1)}, tolerance ${out.tolerance.rel.toExponential(0)})`,
      );
    } else {
      feedback.push(`${label}: ${cmp.message}`);
    }
    for (const h of genericHints(c, out, cmp)) patterns.set(h.key, { text: h.text, names: [...(patterns.get(h.key)?.names ?? []), out.name] });
  }
  if (feedback.length === 0) return { ok: true, feedback, hints };
  for (const { text, names } of patterns.values()) hints.push(text(joinNames(names)));
  const departure = historyDeparture(c, value);
  feedback.push(...departure.feedback);
  hints.push(...departure.hints);
  // a recognised mistake says more than the generic pattern it produces
  const known = signatureHints(c, value);
  if (known.length) hints.splice(0, hints.length, ...known);
  const check = c.selfCheck;
  if (check && check.wrt.some((w) => wrongGradPaths.includes(w.gradPath))) {
    const names = new Map(c.outputs.map((o) => [o.path, o.name]));
    const line = await selfCheckLine((fn, args) => runner.call(fn, args, { timeoutMs }), check, value, names, wrongGradPaths);
    if (line) feedback.push(line);
  }
  return { ok: false, feedback, hints };
}

function argsSummary(c: UnitCase): string {
  const shapes = c.args.map((a, i) => {
    const n = c.argNames[i] ?? `arg${i}`;
    if (a && typeof a === 'object' && !Array.isArray(a) && a.$type === 'matrix') return `${n} ${a.rows}x${a.cols}`;
    if (typeof a === 'number') return `${n} = ${a}`;
    return null;
  }).filter(Boolean);
  return shapes.length ? `inputs: ${shapes.join(', ')}` : '';
}

/** A part's own budget when the caller gives none: the default part deadline from now, nothing timed out yet. */
function freshBudget(): UnitBudget {
  return {
    deadline: performance.now() + DEFAULT_TIME_LIMITS.unitPartMs,
    deadlineName: `the part's time limit (${seconds(DEFAULT_TIME_LIMITS.unitPartMs)})`,
    afterTimeoutMs: DEFAULT_TIME_LIMITS.afterTimeoutMs,
    timedOut: new Set(),
  };
}

/** A call's limit: the case's own, shortened for a function that has timed out before, and cut at the deadline. */
function callLimit(c: UnitCase, callTimeoutMs: number, budget: UnitBudget, remainingMs: number): { ms: number; why?: 'repeat' | 'deadline' } {
  let ms = c.timeoutMs ?? callTimeoutMs;
  let why: 'repeat' | 'deadline' | undefined;
  if (budget.timedOut.has(c.fn) && budget.afterTimeoutMs < ms) [ms, why] = [budget.afterTimeoutMs, 'repeat'];
  if (remainingMs < ms) [ms, why] = [Math.max(1, Math.floor(remainingMs)), 'deadline'];
  return { ms, why };
}

/** The cases of a unit part, and what the submission printed during the graded calls (not the self-check's). */
export interface UnitPartOutcome { cases: CaseResult[]; output: string }

/**
 * Grades every case of a unit part; `callTimeoutMs` applies to cases whose
 * fixture sets no limit of its own. `budget` bounds the part: cases after its
 * deadline are not run, and a function that timed out once gets a short limit.
 */
export async function gradeUnitCases(runner: SubmissionRunner, part: FixturePart, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS, budget: UnitBudget = freshBudget()): Promise<UnitPartOutcome> {
  const totalWeight = part.cases.reduce((s, c) => s + c.weight, 0);
  const results: CaseResult[] = [];
  const printed = new OutputCap();
  for (const c of part.cases) {
    const maxScore = totalWeight > 0 ? (part.points * c.weight) / totalWeight : 0;
    const started = performance.now();
    const remaining = budget.deadline - started;
    if (remaining <= 0) {
      results.push({
        id: c.id, name: c.name, status: 'timeout', score: 0, maxScore, hints: [], timeMs: 0,
        feedback: [`not run: ${budget.deadlineName} was used up by earlier cases that did not return`],
      });
      continue;
    }
    const limit = callLimit(c, callTimeoutMs, budget, remaining);
    const timeoutMs = limit.ms;
    const outcome = await runner.call(c.fn, c.args, { timeoutMs, argNames: c.argNames });
    printed.add(Buffer.from(runner.takeOutput()));
    let status: CaseStatus;
    let feedback: string[] = [];
    let hints: string[] = [];
    if (outcome.kind === 'ok') {
      const verdict = await judge(runner, c, outcome.value, timeoutMs);
      const modified = outcome.modifiedInput ? [`${c.fn} ${outcome.modifiedInput}`] : [];
      status = verdict.ok && !modified.length ? 'passed' : 'failed';
      feedback = status === 'passed' ? [] : [...modified, ...verdict.feedback, argsSummary(c)].filter(Boolean);
      hints = verdict.hints;
      // the self-check's own calls print too: the student sees only what the graded call printed
      runner.takeOutput();
    } else {
      const problem = outcomeProblem(c.fn, outcome, timeoutMs);
      status = problem.status;
      feedback = [problem.line];
      if (outcome.kind === 'timeout') {
        budget.timedOut.add(c.fn);
        if (limit.why === 'repeat') feedback.push(`${c.fn} had already timed out once, so its later cases get ${seconds(timeoutMs)} each`);
        if (limit.why === 'deadline') feedback.push(`the limit of this call was cut to what was left of ${budget.deadlineName}`);
      }
    }
    results.push({
      id: c.id, name: c.name, status, score: status === 'passed' ? maxScore : 0, maxScore,
      feedback, hints, timeMs: performance.now() - started,
    });
  }
  return { cases: results, output: printed.take() };
}
