/**
 * How much the grader accepts from the child, checked in the child (for a
 * clear message) and again in the parent while a frame is decoded (the
 * child's code can be patched, and the frame written by hand).
 */
import type { FrameLimits } from './frames.js';

/** Most numbers a result may hold: 50 times the largest real one (MNIST parameters, about 400,000). */
export const MAX_RESULT_NUMBERS = 20_000_000;
/**
 * Most arrays, objects and strings a message may hold (object keys count as strings).
 * A real result holds a few hundred (matrices, a history of plain number arrays);
 * a million empty objects cost the grader about 100 MB and a few tenths of a second.
 */
export const MAX_RESULT_OBJECTS = 1_000_000;
/** Most UTF-8 bytes of one string in a message; texts the grader shows are cut to MAX_TEXT anyway. */
export const MAX_STRING_BYTES = 1024 * 1024;
/** Most characters kept of a thrown name, message or location, or of a string in a result. */
export const MAX_TEXT = 1000;
/** Largest frame the parent reads from the child: MAX_RESULT_NUMBERS numbers take at most 9 bytes each, plus room for text. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Deepest nesting accepted: encode() stops at 20 levels, so only a forged value goes deeper. */
export const MAX_DEPTH = 64;

/** What the parent's FrameReader accepts from the child: the limits above, with two levels for the message around the value. */
export const REPLY_LIMITS: FrameLimits = {
  bytes: MAX_FRAME_BYTES,
  objects: MAX_RESULT_OBJECTS,
  numbers: MAX_RESULT_NUMBERS,
  depth: MAX_DEPTH + 2,
  stringBytes: MAX_STRING_BYTES,
};

/** `text` cut to at most MAX_TEXT characters, saying how many were cut; cutting again changes nothing. */
export function clip(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const kept = MAX_TEXT - 40; // leaves room for the note
  return `${text.slice(0, kept)}… [${text.length - kept} more characters cut]`;
}

/**
 * Why `value` (`what` names it) is too large to send, or undefined. Counts
 * numbers (a typed array by its length), arrays, objects and strings, and
 * visits at most MAX_RESULT_NUMBERS array elements and object values, keeping
 * only the current path, so a cycle or a shared structure costs neither time
 * nor memory.
 */
export function sizeProblem(value: unknown, what: string): string | undefined {
  let numbers = 0;
  let items = 0;
  let objects = 0;
  const path: { children: unknown[]; next: number }[] = [];
  const enter = (v: unknown): string | undefined => {
    if (typeof v === 'number') numbers++;
    else if (typeof v === 'string') {
      objects++;
      if (v.length > MAX_STRING_BYTES / 3 && Buffer.byteLength(v) > MAX_STRING_BYTES) {
        return `${what} holds a string of ${v.length} characters, more than the grader accepts (${MAX_STRING_BYTES} bytes)`;
      }
    } else if (ArrayBuffer.isView(v)) {
      objects++;
      numbers += v instanceof DataView ? v.byteLength : (v as unknown as ArrayLike<number>).length;
    } else if (typeof v === 'object' && v !== null) {
      if (path.length >= MAX_DEPTH) return `${what} is nested more than ${MAX_DEPTH} levels deep, more than the grader accepts`;
      const keys = Array.isArray(v) ? [] : Object.keys(v);
      const children = Array.isArray(v) ? v : Object.values(v);
      items += children.length;
      objects += 1 + keys.length;
      if (items > MAX_RESULT_NUMBERS) return `${what} holds more than ${MAX_RESULT_NUMBERS} values, more than the grader accepts`;
      if (objects > MAX_RESULT_OBJECTS) return `${what} holds more than ${MAX_RESULT_OBJECTS} arrays, objects and strings, more than the grader accepts`;
      path.push({ children, next: 0 });
    }
    return undefined;
  };
  let problem = enter(value);
  while (!problem && path.length > 0) {
    const top = path[path.length - 1];
    if (top.next === top.children.length) path.pop();
    else problem = enter(top.children[top.next++]);
  }
  if (problem) return problem;
  return numbers > MAX_RESULT_NUMBERS ? `${what} holds ${numbers} numbers, more than the grader accepts (${MAX_RESULT_NUMBERS})` : undefined;
}
