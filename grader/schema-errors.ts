/** The first problem ajv found, as one line a person can act on: where, what, and which key or values. */
import type { ErrorObject } from 'ajv';

export function schemaErrorLine(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'does not match its schema';
  const where = e.instancePath ? e.instancePath.replace(/^\//, '').replaceAll('/', '.') : '(top level)';
  let detail = '';
  if (e.params && 'additionalProperty' in e.params) detail = ` ("${String(e.params.additionalProperty)}" is not a known key)`;
  else if (e.params && 'allowedValues' in e.params) detail = `: ${(e.params.allowedValues as unknown[]).join(', ')}`;
  return `at ${where}: ${e.message ?? 'invalid'}${detail}`;
}
