/**
 * Finds pairs of students whose graded files are unusually alike, in the
 * manner of MOSS (winnowing, Schleimer et al. 2003) over JPlag-style tokens:
 * names, literals, comments and layout are normalised away, so a renamed and
 * reformatted copy looks the same as the original, while two independent
 * solutions share only short runs. Fingerprints that occur in the starter
 * kit (doc comments, given functions, signatures) are never counted.
 */

/** Tokens of at least this many in a row must match for a fingerprint to match (JPlag's default minimum match is about 9-12). */
export const K = 12;
/** Winnowing window: every common run of at least K + W - 1 tokens shares a fingerprint. */
export const W = 8;
/**
 * Pairs at or above this score are flagged. Measured on this assignment: two
 * independent correct solutions share about 0.36 (plain loops over .data look
 * alike), a renamed and reformatted copy 1.0; the class report lists every
 * pair's score, so a TA sees where a class's scores fall.
 */
export const SIMILARITY_THRESHOLD = 0.7;

/** One fingerprint of a text, and the source line where its run of tokens starts. */
interface Print { hash: number; line: number }

/** The fingerprints of one student's graded files. */
export interface Fingerprints { files: Map<string, Print[]>; all: Set<number> }

/** Keywords and type words kept as themselves; every other identifier becomes one token. */
const KEYWORDS = new Set([
  'function', 'return', 'const', 'let', 'var', 'for', 'while', 'do', 'if', 'else', 'switch', 'case', 'break', 'continue',
  'new', 'of', 'in', 'class', 'export', 'import', 'from', 'type', 'interface', 'this', 'throw', 'try', 'catch', 'typeof',
  'true', 'false', 'null', 'undefined', 'async', 'await', 'yield', 'default', 'extends', 'as',
]);

const LEXER = /(\/\/[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)|(\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)|([A-Za-z_$][\w$]*)|(=>|\*\*=?|[=!]==?|[<>]=?|&&|\|\||\?\?|\?\.|\+\+|--|[-+*/%&|^]=?|[{}()[\];,.:?~!])|(\n)|\s+/gy;

/** The normalised tokens of a source text, each with its line: identifiers `I`, numbers `N`, strings `S`. */
export function tokens(source: string): { token: string; line: number }[] {
  const out: { token: string; line: number }[] = [];
  let line = 1;
  LEXER.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    LEXER.lastIndex = at;
    const m = LEXER.exec(source);
    if (!m) {
      // a character the lexer does not know (Unicode in a name, say): one token of its own
      out.push({ token: source[at], line });
      at++;
      continue;
    }
    at = LEXER.lastIndex;
    const [text, comment, string, number, word, punct] = m;
    if (comment || string) line += (text.match(/\n/g) ?? []).length;
    if (text === '\n') line++;
    else if (string) out.push({ token: 'S', line });
    else if (number) out.push({ token: 'N', line });
    else if (word) out.push({ token: KEYWORDS.has(word) ? word : 'I', line });
    else if (punct) out.push({ token: punct, line });
  }
  return out;
}

/** FNV-1a of a run of tokens: fast and well spread, enough to tell runs apart. */
function hashRun(run: readonly { token: string }[]): number {
  let h = 0x811c9dc5;
  for (const { token } of run) {
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x20, 0x01000193);
  }
  return h >>> 0;
}

/** Winnowing: the smallest hash of every window of W consecutive K-gram hashes (rightmost on ties), each kept once. */
export function winnow(source: string): Print[] {
  const toks = tokens(source);
  const grams: Print[] = [];
  for (let i = 0; i + K <= toks.length; i++) grams.push({ hash: hashRun(toks.slice(i, i + K)), line: toks[i].line });
  const picked: Print[] = [];
  let last = -1;
  const windows = grams.length === 0 ? 0 : Math.max(1, grams.length - W + 1);
  for (let start = 0; start < windows; start++) {
    const end = Math.min(start + W, grams.length);
    let min = start;
    for (let i = start; i < end; i++) if (grams[i].hash <= grams[min].hash) min = i;
    if (min !== last) picked.push(grams[min]);
    last = min;
  }
  return picked;
}

/** The fingerprints of a student's files (name -> source), without any that occur in the starter's files. */
export function fingerprint(files: ReadonlyMap<string, string>, starter: ReadonlySet<number>): Fingerprints {
  const byFile = new Map<string, Print[]>();
  const all = new Set<number>();
  for (const [name, source] of files) {
    const prints = winnow(source).filter((p) => !starter.has(p.hash));
    byFile.set(name, prints);
    for (const p of prints) all.add(p.hash);
  }
  return { files: byFile, all };
}

/** Every fingerprint of the starter's files: the code all students share and nobody copied. */
export function starterPrints(files: ReadonlyMap<string, string>): Set<number> {
  return new Set([...files.values()].flatMap((source) => winnow(source).map((p) => p.hash)));
}

/** How alike two students are: shared fingerprints over the smaller set (1 = one is contained in the other). */
export interface PairScore { a: string; b: string; score: number; shared: number; sizes: [number, number] }

/** Shared fingerprints over the smaller set; 0 when either has none. */
export function similarity(a: Fingerprints, b: Fingerprints): { score: number; shared: number } {
  let shared = 0;
  const [small, large] = a.all.size <= b.all.size ? [a.all, b.all] : [b.all, a.all];
  for (const h of small) if (large.has(h)) shared++;
  return { score: small.size === 0 ? 0 : shared / small.size, shared };
}

/** Every pair of students, most alike first. */
export function rankPairs(students: ReadonlyMap<string, Fingerprints>): PairScore[] {
  const ids = [...students.keys()].sort();
  const pairs: PairScore[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = students.get(ids[i])!, b = students.get(ids[j])!;
      pairs.push({ a: ids[i], b: ids[j], ...similarity(a, b), sizes: [a.all.size, b.all.size] });
    }
  }
  return pairs.sort((x, y) => y.score - x.score || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}

/** For the side-by-side view: the lines of `file` in each student whose fingerprints the other shares. */
export function matchedLines(a: Fingerprints, b: Fingerprints, file: string): { a: number[]; b: number[] } {
  const lines = (x: Fingerprints, other: Fingerprints) =>
    [...new Set((x.files.get(file) ?? []).filter((p) => other.all.has(p.hash)).map((p) => p.line))].sort((p, q) => p - q);
  return { a: lines(a, b), b: lines(b, a) };
}
