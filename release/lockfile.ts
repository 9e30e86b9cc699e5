/**
 * The project's package-lock.json pruned to what the release installs: the
 * same resolved versions and integrity hashes, minus every package that only
 * the project's tests and tools need, with each kept package's dev/optional
 * flags recomputed for the release's own dependency lists.
 */

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

/** package-lock.json version 2 or 3 (the `packages` map). */
export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** The root entry's lists: what the release's package.json declares. */
export interface RootDependencies {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines?: Record<string, string>;
}

/** Where Node finds `name` from the package installed at `from` ("" is the root): its own node_modules, then each parent's. */
function resolve(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

/** Every lock path reachable from the `roots` names; `optionalToo` follows optional (and optional peer) edges as well. */
function reachable(packages: Record<string, LockEntry>, roots: readonly string[], optionalToo: boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (from: string, name: string) => {
    const at = resolve(packages, from, name);
    if (!at || seen.has(at)) return;
    seen.add(at);
    const e = packages[at];
    const required = { ...e.dependencies };
    for (const [peer] of Object.entries(e.peerDependencies ?? {})) if (!e.peerDependenciesMeta?.[peer]?.optional) required[peer] = '';
    const edges = [...Object.keys(required), ...(optionalToo ? Object.keys({ ...e.optionalDependencies, ...e.peerDependenciesMeta }) : [])];
    for (const dep of edges) visit(at, dep);
  };
  for (const r of roots) visit('', r);
  return seen;
}

/**
 * The lock file for `root`'s dependencies: packages no longer reachable are
 * removed; a kept package is `dev` when only the dev dependencies need it,
 * `optional` when only optional edges reach it (npm's meaning of the flags).
 * Throws when a dependency of `root` is not in the lock at all.
 */
export function pruneLockfile(lock: Lockfile, root: RootDependencies): Lockfile {
  const prod = Object.keys(root.dependencies);
  const dev = Object.keys(root.devDependencies);
  const missing = [...prod, ...dev].filter((n) => !lock.packages[`node_modules/${n}`]);
  if (missing.length) throw new Error(`package-lock.json has no entry for ${missing.join(', ')}: run npm install in the project first`);
  const prodStrict = reachable(lock.packages, prod, false);
  const prodAll = reachable(lock.packages, prod, true);
  const allStrict = reachable(lock.packages, [...prod, ...dev], false);
  const all = reachable(lock.packages, [...prod, ...dev], true);

  const packages: Record<string, LockEntry> = {
    '': { name: root.name, version: root.version, dependencies: root.dependencies, devDependencies: root.devDependencies, ...(root.engines ? { engines: root.engines } : {}) },
  };
  for (const [at, entry] of Object.entries(lock.packages)) {
    if (at === '' || !all.has(at)) continue;
    // npm's flags: dev = not needed by the runtime at all, optional = reached only through optional edges,
    // devOptional = needed only by the dev tools or only optionally by the runtime (written when neither flag is)
    const devOnly = !prodAll.has(at);
    const optionalOnly = !allStrict.has(at);
    const flags = { dev: devOnly, optional: optionalOnly, devOptional: !prodStrict.has(at) && !devOnly && !optionalOnly };
    // the entry's own key order is kept (npm writes it so), a flag changed in place
    const kept: LockEntry = { ...entry };
    for (const [flag, on] of Object.entries(flags) as [keyof typeof flags, boolean][]) {
      if (on) kept[flag] = true;
      else delete kept[flag];
    }
    packages[at] = kept;
  }
  return { name: root.name, version: root.version, lockfileVersion: lock.lockfileVersion, ...(lock.requires !== undefined ? { requires: lock.requires } : {}), packages };
}
