/**
 * The leak check of the student release: (1) no run of MIN_RUN tokens of a
 * solution block of reference/ (the code between `// BEGIN SOLUTION` and
 * `// END SOLUTION`) appears in any shipped source file, comments and layout
 * ignored; a few one-line formulas the grader needs for itself are allowed,
 * each named in ALLOWED with why; (2) no shipped module outside starter/
 * exports a function with the name and arity of a graded function, so nothing
 * in the grader is a drop-in answer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

/** Shortest run of tokens counted as a copy: about one full statement. */
export const MIN_RUN = 16;

/**
 * Token runs of the solution that the release may contain, as normalised text
 * (tokens joined by one space), each with the reason it is not an answer.
 */
export const ALLOWED: readonly { tokens: string; why: string }[] = [
  {
    tokens: '( v ) => 1 / ( 1 + Math . exp ( - v ) )',
    why: 'grader/evaluate.ts: the sigmoid formula of the grader\'s own forward pass, which measures a trained network; the formula is in the assignment text',
  },
  {
    tokens: ') ; for ( let i = 0 ; i < rows ; i ++ ) {',
    why: 'starter/provided/kernel/dot.ts: a loop header over the rows of a matrix, as generic as code gets',
  },
];

/** One solution block: where it is and its tokens. */
export interface SolutionBlock { file: string; line: number; tokens: string[] }

/** One finding of the check, as a line a person can act on. */
export interface Leak { kind: 'copied-code' | 'drop-in-export'; message: string }

/** The tokens of TypeScript source, comments and whitespace dropped, every literal kept as written. */
export function tokenize(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) tokens.push(scanner.getTokenText());
  return tokens;
}

/** The solution blocks of a reference file's source. */
export function solutionBlocks(file: string, source: string): SolutionBlock[] {
  const blocks: SolutionBlock[] = [];
  const pattern = /\/\/ BEGIN SOLUTION\n([\s\S]*?)\/\/ END SOLUTION/g;
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
    blocks.push({ file, line: source.slice(0, m.index).split('\n').length, tokens: tokenize(m[1]) });
  }
  return blocks;
}

/** Every run of `n` consecutive tokens, as normalised text. */
function runs(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  return out;
}

/** Copies of solution code in the shipped files (`shipped`: relative path -> source); one finding per block and file. */
export function copiedCode(blocks: readonly SolutionBlock[], shipped: Record<string, string>, minRun = MIN_RUN): Leak[] {
  const allowed = (run: string) => ALLOWED.some((a) => a.tokens.includes(run));
  const leaks: Leak[] = [];
  for (const [file, source] of Object.entries(shipped)) {
    const present = new Set(runs(tokenize(source), minRun));
    for (const block of blocks) {
      const copied = runs(block.tokens, minRun).find((r) => present.has(r) && !allowed(r));
      if (copied) leaks.push({ kind: 'copied-code', message: `${file} contains solution code of ${block.file}:${block.line}: "${copied}"` });
    }
  }
  return leaks;
}

/** The exported functions of a module and how many parameters each takes (declarations and `export const f = (...) =>`). */
export function exportedFunctions(source: string): Map<string, number> {
  const sf = ts.createSourceFile('m.ts', source, ts.ScriptTarget.Latest, true);
  const found = new Map<string, number>();
  const exported = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && exported(statement)) found.set(statement.name.text, statement.parameters.length);
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) found.set(d.name.text, init.parameters.length);
      }
    }
  }
  return found;
}

/**
 * Shipped modules outside starter/ that export a function with the name and
 * arity of a graded one (`graded`: name -> number of parameters).
 */
export function dropInExports(graded: ReadonlyMap<string, number>, shipped: Record<string, string>): Leak[] {
  const leaks: Leak[] = [];
  for (const [file, source] of Object.entries(shipped)) {
    if (file.startsWith('starter/')) continue;
    for (const [name, arity] of exportedFunctions(source)) {
      if (graded.get(name) === arity) leaks.push({ kind: 'drop-in-export', message: `${file} exports ${name} with ${arity} parameters, the signature of a graded function` });
    }
  }
  return leaks;
}

/** The graded functions: every exported function of reference/ that has a solution block, with its arity. */
export function gradedFunctions(referenceSources: Record<string, string>): Map<string, number> {
  const graded = new Map<string, number>();
  for (const source of Object.values(referenceSources)) {
    const sf = ts.createSourceFile('r.ts', source, ts.ScriptTarget.Latest, true);
    for (const s of sf.statements) {
      if (ts.isFunctionDeclaration(s) && s.name && s.body && /BEGIN SOLUTION/.test(s.body.getFullText(sf))) graded.set(s.name.text, s.parameters.length);
    }
  }
  return graded;
}

/** Reads the .ts files of `files` (relative to `dir`) into a map. */
export async function readSources(dir: string, files: readonly string[]): Promise<Record<string, string>> {
  const ts = files.filter((f) => f.endsWith('.ts'));
  return Object.fromEntries(await Promise.all(ts.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)));
}

/** Both checks of a release in `releaseDir` (its .ts files `files`) against the reference in `referenceDir`. */
export async function leakCheck(referenceDir: string, referenceFiles: readonly string[], releaseDir: string, files: readonly string[]): Promise<Leak[]> {
  const reference = await readSources(referenceDir, referenceFiles);
  const shipped = await readSources(releaseDir, files);
  const blocks = Object.entries(reference).flatMap(([f, s]) => solutionBlocks(`reference/${f}`, s));
  return [...copiedCode(blocks, shipped), ...dropInExports(gradedFunctions(reference), shipped)];
}
