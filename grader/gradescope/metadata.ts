/**
 * Who submitted, from Gradescope's submission metadata: the
 * submission_metadata.json of a live run, or the submission_metadata.yml of a
 * Gradescope export (one entry per submission folder), so a TA can reproduce a
 * student's grade offline with that student's own hidden tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The email a submission's per-student tests are made from: the smallest of its members' (a group shares one set). */
export function submitterId(emails: readonly string[]): string {
  const normal = emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  if (normal.length === 0) throw new Error('the submission metadata lists no submitter with an email');
  return normal.sort()[0];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** A key of Gradescope's export, written with or without Ruby's leading colon (":email" or "email"). */
function field(obj: Record<string, unknown>, key: string): unknown {
  return obj[`:${key}`] ?? obj[key];
}

/** One submitter as Gradescope's metadata names them (a number read from YAML becomes its text). */
export interface Submitter { name?: string; sid?: string; email?: string }

/** The submitters of a list of users (`users` of the .json, `:submitters` of an export's entry). */
function submittersOf(users: unknown): Submitter[] {
  if (!Array.isArray(users)) return [];
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  return users.map((u) => {
    const o = record(u);
    return { name: text(field(o, 'name')), sid: text(field(o, 'sid')), email: text(field(o, 'email')) };
  });
}

/** The submitters of one entry of an export's submission_metadata.yml. */
export function exportSubmitters(entry: unknown): Submitter[] {
  return submittersOf(field(record(entry), 'submitters'));
}

function emailsOf(users: unknown): string[] {
  return submittersOf(users).map((u) => u.email).filter((e): e is string => e !== undefined);
}

/**
 * The submitters' emails of one submission. For a .json file, its `users`;
 * for an export's .yml, the entry named `submission` (a key such as
 * "submission_123456", the name of that submission's folder in the export).
 */
export async function submitterEmails(file: string, submission?: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  if (path.extname(file) === '.json') return emailsOf(record(JSON.parse(text)).users);
  const doc = record(parseYaml(text));
  if (!submission) throw new Error(`${file} holds every submission of an export: name one with --submission-id (the folder name, e.g. submission_123456)`);
  const entry = doc[submission];
  if (entry === undefined) throw new Error(`${file} has no entry ${submission}; use the name of the submission's folder in the export`);
  return emailsOf(field(record(entry), 'submitters'));
}
