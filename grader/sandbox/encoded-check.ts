/**
 * The type check of what the child sends back, run on every result and
 * progress value before the grader touches it: the frame decoder already
 * bounded its size and made it a tree of plain data; this makes sure it is an
 * `Encoded` value of codec.ts that comparing, hints and the reports can use.
 */
import { clip, MAX_TEXT } from './limits.js';

/**
 * Why `value` (`what` names it) is not a well-formed reply value, or
 * undefined. A Float64Array is accepted only as a matrix's data; a `$type`
 * tag only as a matrix whose rows and cols are whole numbers matching its
 * data's length (the other tags describe inputs, never results). Strings,
 * object keys included, are cut to MAX_TEXT in place, so a report never
 * holds a long text from the submission.
 */
export function encodedProblem(value: unknown, what: string): string | undefined {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (value instanceof Float64Array) return `${what} holds a Float64Array outside a matrix`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = clip(item);
      else if (typeof item === 'object') {
        const problem = encodedProblem(item, what);
        if (problem) return problem;
      } else if (typeof item !== 'number' && typeof item !== 'boolean') return `${what} holds a ${typeof item}`;
    }
    return undefined;
  }
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return `${what} holds a value that is not plain data`;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, '$type')) return matrixProblem(record, what);
  for (const key of Object.keys(record)) {
    const item = typeof record[key] === 'string' ? clip(record[key] as string) : record[key];
    const problem = encodedProblem(item, what);
    if (problem) return problem;
    if (key.length > MAX_TEXT) delete record[key];
    // defineProperty, so that a key '__proto__' stays an ordinary key
    Object.defineProperty(record, clip(key), { value: item, enumerable: true, writable: true, configurable: true });
  }
  return undefined;
}

/** Why a `$type`-tagged object is not a well-formed matrix, or undefined. */
function matrixProblem(m: Record<string, unknown>, what: string): string | undefined {
  if (m.$type !== 'matrix') return `${what} holds a '$type' tag the grader does not accept in a result (only 'matrix')`;
  const { rows, cols, data } = m;
  const extra = Object.keys(m).filter((k) => !['$type', 'rows', 'cols', 'data'].includes(k));
  if (extra.length > 0) return `${what} holds a matrix with fields other than rows, cols and data`;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || (rows as number) < 0 || (cols as number) < 0) {
    return `${what} holds a matrix whose rows and cols are not whole numbers`;
  }
  const size = (rows as number) * (cols as number);
  if (data instanceof Float64Array) return data.length === size ? undefined : `${what} holds a ${rows}x${cols} matrix with ${data.length} numbers`;
  if (!Array.isArray(data) || !data.every((x) => typeof x === 'number')) return `${what} holds a matrix whose data is not a list of numbers`;
  return data.length === size ? undefined : `${what} holds a ${rows}x${cols} matrix with ${data.length} numbers`;
}
