/** How a part's cases add up to the part's status. */
import type { CaseResult, PartStatus } from './results.js';

export function partStatus(cases: CaseResult[]): PartStatus {
  if (cases.length === 0) return 'not_run';
  if (cases.every((c) => c.status === 'passed')) return 'passed';
  if (cases.every((c) => c.status === 'not_run')) return 'not_run';
  if (cases.every((c) => c.status === 'not_implemented')) return 'not_implemented';
  if (cases.some((c) => c.status === 'passed')) return 'partial';
  if (cases.every((c) => c.status === 'compile_error' || c.status === 'crashed' || c.status === 'error')) return 'error';
  return 'failed';
}
