/**
 * Dot-separated paths into encoded values ("grads.W.1"), the one way fixtures
 * name an output inside a function's return value.
 */
import type { Encoded } from './codec.js';

/** The value at `path`, or undefined when any step is missing ("" is the value itself). */
export function getPath(value: Encoded | undefined, path: string): Encoded | undefined {
  if (path === '') return value;
  let cur: Encoded | undefined = value;
  for (const key of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      cur = cur[Number(key)];
    } else {
      cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, Encoded>)[key] : undefined;
    }
  }
  return cur;
}
