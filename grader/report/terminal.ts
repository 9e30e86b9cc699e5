/**
 * The report a student reads after `npm run grade`: a table of parts, then
 * what went wrong in each part that did not pass, warnings and the total.
 * Colour is the caller's decision (it honours NO_COLOR and --no-color), so
 * the same results always give the same text.
 */
import { stripVTControlCharacters } from 'node:util';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CaseResult, CaseStatus, GradingResults, PartResult, PartStatus, Visibility } from '../results.js';
import { CASE_LABELS, PART_LABELS, caseLines, capLines, cleanText, formatDuration, formatNumber } from './text.js';
import { accuracyText, timeText } from './training-text.js';

export interface TerminalOptions {
  /** Emit ANSI colours. */
  color: boolean;
  /** Show every failing case and each part's captured output. */
  verbose: boolean;
}

/** Failing cases shown per part unless verbose. */
const MAX_CASES = 3;
/** Lines of a part's captured output shown in verbose mode. */
const MAX_OUTPUT_LINES = 40;

const VISIBILITY_TAGS: Record<Visibility, string> = {
  visible: '',
  hidden: '[hidden]',
  after_due_date: '[after due date]',
  after_published: '[after published]',
};

/** The grading results as coloured (or plain) text for a terminal. */
export function terminalReport(results: GradingResults, options: Partial<TerminalOptions> = {}): string {
  const { color = false, verbose = false } = options;
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];

  const fx = results.fixtures;
  out.push(c.bold(`Grading ${cleanText(results.submission)}`));
  out.push(c.dim(`fixtures ${fx.version}, seed ${fx.seed}${fx.hidden ? ', hidden' : ''}`));
  out.push('');
  out.push(...partTable(results.parts, c));
  const training = trainingLines(results.parts, c, verbose);
  if (training.length > 0) out.push('', ...training);

  for (const part of results.parts) {
    const details = partDetails(part, c, verbose);
    if (details.length > 0) out.push('', ...details);
  }

  if (results.warnings.length > 0) {
    out.push('', c.yellow.bold('Warnings:'));
    for (const w of results.warnings) out.push(...indentFirst(cleanText(w).split('\n'), c.yellow('  ! '), '    '));
  }

  out.push('', totalLine(results, c));
  return out.join('\n') + '\n';
}

function partTable(parts: PartResult[], c: ChalkInstance): string[] {
  const header = ['Part', 'Title', 'Status', 'Points', 'Time'].map((h) => c.bold(h));
  const rows = parts.map((p) => {
    const tag = VISIBILITY_TAGS[p.visibility];
    return [
      cleanText(p.id),
      cleanText(p.title) + (tag ? ' ' + c.dim(tag) : ''),
      partLabel(p.status, c),
      `${formatNumber(p.score)}/${formatNumber(p.maxScore)}`,
      p.status === 'not_run' ? '-' : formatDuration(p.timeMs),
    ];
  });
  return alignColumns([header, ...rows], ['left', 'left', 'left', 'right', 'right']);
}

/** Each training part that ran: its accuracy against the threshold and its main run's time against the limit, with any warning. */
function trainingLines(parts: PartResult[], c: ChalkInstance, verbose: boolean): string[] {
  const ran = parts.filter((p) => p.training && p.status !== 'not_run');
  if (ran.length === 0) return [];
  const lines = [c.bold('Training:')];
  for (const p of ran) {
    const t = p.training!;
    const acc = accuracyText(t);
    lines.push(`  ${cleanText(p.id)}: ${t.accuracy !== undefined && t.accuracy >= t.threshold ? acc : c.red(acc)}; ${timeText(t, verbose)}`);
    for (const note of t.notes) lines.push(`    ${c.yellow(cleanText(note))}`);
  }
  return lines;
}

/** Pads cells to their column's widest visible width (ANSI codes do not count). */
function alignColumns(rows: string[][], align: ('left' | 'right')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => visibleWidth(r[i]))));
  return rows.map((r) =>
    r.map((cell, i) => {
      const pad = ' '.repeat(widths[i] - visibleWidth(cell));
      return align[i] === 'left' ? cell + pad : pad + cell;
    }).join('  ').trimEnd());
}

function visibleWidth(s: string): number {
  return [...stripVTControlCharacters(s)].length;
}

function partLabel(status: PartStatus, c: ChalkInstance): string {
  const label = PART_LABELS[status];
  switch (status) {
    case 'passed': return c.green(label);
    case 'partial': return c.yellow(label);
    case 'not_run': return c.gray(label);
    case 'error': return c.red.bold(label);
    default: return c.red(label);
  }
}

function caseLabel(status: CaseStatus, c: ChalkInstance): string {
  const label = CASE_LABELS[status];
  if (status === 'passed') return c.green(label);
  if (status === 'not_run') return c.gray(label);
  return c.red(label);
}

/** Failing cases (capped unless verbose), the not-run reason, and in verbose mode the captured output. */
function partDetails(part: PartResult, c: ChalkInstance, verbose: boolean): string[] {
  const failing = part.cases.filter((k) => k.status !== 'passed');
  const showOutput = verbose && part.output.trim() !== '';
  if (part.status === 'passed' && failing.length === 0 && !showOutput) return [];

  const lines = [
    `${c.bold(cleanText(part.id))} ${cleanText(part.title)}: ${partLabel(part.status, c)} ` +
      `${formatNumber(part.score)}/${formatNumber(part.maxScore)}`,
  ];
  if (part.notRunReason !== undefined) {
    lines.push(...indentFirst(cleanText(part.notRunReason).split('\n'), '  ' + c.gray('not run: '), '    '));
  }
  if (part.status === 'not_run') return lines;
  if (part.status === 'not_implemented' && !verbose) {
    // one line instead of a block per case: the student has simply not started this part
    const functions = [...new Set(part.cases.map((k) => notImplementedName(k)))];
    lines.push(`  ${caseLabel('not_implemented', c)} yet: ${functions.join(', ')}`);
    return lines;
  }
  const shown = verbose ? failing : failing.slice(0, MAX_CASES);
  // one cause often fails every check of a part (a bad config.json): say it once
  shown.forEach((k, i) => {
    const same = i > 0 && k.feedback.length > 0 && k.feedback.join('\n') === shown[i - 1].feedback.join('\n');
    lines.push(...(same ? caseDetails({ ...k, feedback: ['(the same as above)'], hints: [] }, c) : caseDetails(k, c)));
  });
  const hidden = failing.length - shown.length;
  if (hidden > 0) {
    lines.push(c.dim(`  … ${hidden} more failing ${hidden === 1 ? 'case' : 'cases'} (--verbose shows all)`));
  }
  if (showOutput) {
    const { lines: out, more } = capLines(cleanText(part.output), MAX_OUTPUT_LINES);
    lines.push(c.dim('  output:'), ...out.map((l) => `    ${l}`.trimEnd()));
    if (more > 0) lines.push(c.dim(`    … ${more} more ${more === 1 ? 'line' : 'lines'}`));
  }
  return lines;
}

/** The function a not-implemented case is about: named in its feedback, else the start of its name. */
function notImplementedName(k: CaseResult): string {
  const named = /^(?:\S+ calls )?(\S+?),? (?:which )?is not implemented yet/.exec(k.feedback[0] ?? '');
  return cleanText(named ? named[1] : k.name.split(':')[0]);
}

function caseDetails(k: CaseResult, c: ChalkInstance): string[] {
  const head = `  ${caseLabel(k.status, c)} ${cleanText(k.name)} ` +
    c.dim(`(${formatNumber(k.score)}/${formatNumber(k.maxScore)})`);
  const body = caseLines(k).flatMap((line) => {
    const parts = line.split('\n');
    const styled = line.startsWith('hint: ') ? parts.map((p) => c.cyan(p)) : parts;
    return indentFirst(styled, '      ', '        ');
  });
  return [head, ...body];
}

/** Prefixes the first line with `first` and the rest with `rest`, so a multi-line item stays one block. */
function indentFirst(lines: string[], first: string, rest: string): string[] {
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}

function totalLine(results: GradingResults, c: ChalkInstance): string {
  let line = c.bold(`Total: ${formatNumber(results.score)} / ${formatNumber(results.maxScore)}`);
  if (results.notAttempted > 0) {
    const reasons = [...new Set(results.parts
      .filter((p) => p.status === 'not_run')
      .map((p) => cleanText(p.notRunReason ?? `${p.title} was not run`)))];
    const reason = reasons.length > 0 ? reasons.join('; ') : 'some parts were not run';
    line += ' ' + c.gray(`(${formatNumber(results.notAttempted)} points not attempted: ${reason})`);
  }
  return line;
}
