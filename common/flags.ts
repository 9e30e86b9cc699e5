/**
 * The pieces of command-line parsing that the commands (cli/) and the tuning
 * library (tuning/args.ts) share: the names a flag may take, strict parsing,
 * checked numbers and choices, and the one-line failure report.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Hyperparameters } from '../grader/fixtures/types.generated.js';
import { UsageError } from './usage-error.js';

/** The values config.json allows for each choice (fixtures/schema/config.schema.json). */
export const ACTIVATIONS: readonly Hyperparameters['activation'][] = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu'];
export const OPTIMIZERS: readonly Hyperparameters['optimizer'][] = ['sgd', 'momentum', 'rmsprop', 'adam'];
export const INIT_SCHEMES: readonly Hyperparameters['init'][] = ['xavier_uniform', 'glorot_normal', 'he_normal'];
export const REG_TYPES = ['l2', 'l1'] as const;

/**
 * Runs node:util parseArgs in strict mode and turns its errors (unknown flag,
 * missing value, stray argument) into a one-line UsageError that points to --help.
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (cause) {
    const err = cause as Error & { code?: string };
    const quoted = /'([^']+)'/.exec(err.message)?.[1];
    const problem = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted ? `unknown option ${quoted}`
      : err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted ? `unexpected argument "${quoted}" (every value follows its --flag)`
        : /ambiguous/.test(err.message) && quoted ? `${quoted}: a value starting with "-" must be written ${quoted}=VALUE`
          : err.message.split(/\.\s|\n/)[0];
    throw new UsageError(`${problem}. See: ${command} --help`, { cause });
  }
}

/**
 * A number from a flag's text, checked against the bounds; throws a UsageError
 * naming the flag, e.g. `--lr: expected a number > 0, got "abc"`.
 */
export function parseNumber(flag: string, text: string, rule: { min?: number; above?: number; below?: number; integer?: boolean } = {}): number {
  const value = text.trim() === '' ? NaN : Number(text);
  const wanted = [
    rule.integer ? 'an integer' : 'a number',
    rule.min !== undefined ? `>= ${rule.min}` : '',
    rule.above !== undefined ? `> ${rule.above}` : '',
    rule.below !== undefined ? `< ${rule.below}` : '',
  ].filter(Boolean).join(' ');
  const ok = Number.isFinite(value)
    && (!rule.integer || Number.isInteger(value))
    && (rule.min === undefined || value >= rule.min)
    && (rule.above === undefined || value > rule.above)
    && (rule.below === undefined || value < rule.below);
  if (!ok) throw new UsageError(`--${flag}: expected ${wanted}, got "${text}"`);
  return value;
}

/** One of the allowed names, or a UsageError listing them. */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${flag}: expected one of ${choices.join(', ')}, got "${text}"`);
  return text as T;
}

/**
 * Prints why a command failed as one line on stderr and returns its exit code:
 * 2 for a bad command line, 1 for anything else (a data file, a write). Never a stack trace.
 */
export function reportFailure(command: string, err: unknown): number {
  const message = err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err);
  process.stderr.write(`${command}: ${message}\n`);
  return err instanceof UsageError ? 2 : 1;
}
