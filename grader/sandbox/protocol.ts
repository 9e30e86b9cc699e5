/**
 * The messages between SubmissionRunner and the child harness, in one place
 * so both sides agree. Every reply carries the id and nonce of what it answers.
 */
import type { Encoded } from '../codec.js';
import type { ModuleStatus } from './bundle.js';

export type { ModuleStatus };

/** What a thrown value becomes; `location` is `file.ts:line` of the first frame in the submission. */
export interface ThrownError { name: string; message: string; location?: string }

/** Parent to child, once: the nonce the ready message must carry. */
export interface InitMessage { type: 'init'; nonce: string }
/** Parent to child: run `fn(...decode(args))`. */
export interface CallMessage { type: 'call'; id: string; nonce: string; fn: string; args: Encoded[] }

export interface ReadyMessage {
  type: 'ready';
  nonce: string;
  /** Load status of each built module (a top-level throw makes it not ok). */
  modules: Record<string, ModuleStatus>;
  /** Every exported function, with the module file it comes from. */
  functions: Record<string, string>;
}
export interface ProgressMessage { type: 'progress'; id: string; nonce: string; value: Encoded }
export type ResultMessage =
  | { type: 'result'; id: string; nonce: string; ok: true; value: Encoded }
  | { type: 'result'; id: string; nonce: string; ok: false; error: ThrownError };

export type ChildMessage = ReadyMessage | ProgressMessage | ResultMessage;
