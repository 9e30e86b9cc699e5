/**
 * The messages between SubmissionRunner and the child harness (frames on fd 3,
 * see frames.ts), in one place so both sides agree. Every reply carries the id
 * and nonce of what it answers.
 */
import type { Encoded } from '../codec.js';
import type { ModuleStatus } from './bundle.js';

export type { ModuleStatus };

/** The child's exit code when its channel ends or fails while the grader is still there (the submission closed fd 3, say). */
export const CHANNEL_LOST_EXIT = 71;

/** What a thrown value becomes; `location` is `file.ts:line` of the first frame in the submission. */
export interface ThrownError { name: string; message: string; location?: string }

/** Parent to child, once: the nonce the ready message must carry. */
export interface InitMessage { type: 'init'; nonce: string }
/** Parent to child: run `fn(...decode(args))`, the export `fn` of module `file`; `argNames` name the arguments in a modified-input message. */
export interface CallMessage { type: 'call'; id: string; nonce: string; file: string; fn: string; args: Encoded[]; argNames?: string[] }

export interface ReadyMessage {
  type: 'ready';
  nonce: string;
  /** Load status of each built module (a top-level throw makes it not ok). */
  modules: Record<string, ModuleStatus>;
  /** The names of the functions each loaded module exports, in load order. */
  exports: Record<string, string[]>;
}
export interface ProgressMessage { type: 'progress'; id: string; nonce: string; value: Encoded }
/** `modifiedInput`: the call returned but changed one of its arguments (the line of unchanged-inputs.ts). */
export type ResultMessage =
  | { type: 'result'; id: string; nonce: string; ok: true; value: Encoded; modifiedInput?: string }
  | { type: 'result'; id: string; nonce: string; ok: false; error: ThrownError };

export type ChildMessage = ReadyMessage | ProgressMessage | ResultMessage;
