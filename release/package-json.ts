/**
 * The release's package.json: only the commands a student runs, and only the
 * dependencies those commands load (the project's own versions).
 */

/** The project's package.json, as far as the release reads it. */
export interface ProjectPackage {
  name: string;
  version: string;
  description?: string;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** What the release installs: runtime packages of grade/train/tune, and what `typecheck` needs. */
export const RELEASE_DEPENDENCIES = ['ajv', 'chalk', 'esbuild', 'execa', 'mnist', 'seedrandom', 'tsx'] as const;
export const RELEASE_DEV_DEPENDENCIES = ['typescript', '@types/node', '@types/seedrandom'] as const;

/** The student's commands, run from their precompiled bundles (bin/run-command.mjs); no `test`, since the release ships no tests. */
export const RELEASE_SCRIPTS = {
  grade: 'node bin/run-command.mjs grade',
  train: 'node bin/run-command.mjs train',
  tune: 'node bin/run-command.mjs tune',
  typecheck: 'tsc --noEmit',
} as const;

/** The `names` entries of `from` in npm's (sorted) order; a name missing there is a one-line error. */
function pick(from: Record<string, string>, names: readonly string[], field: string): Record<string, string> {
  return Object.fromEntries([...names].sort().map((n) => {
    const version = from[n];
    if (version === undefined) throw new Error(`package.json has no ${field} "${n}", which the release needs; add it or update release/package-json.ts`);
    return [n, version];
  }));
}

/** The release's package.json object (named after the project, with `-assignment`). */
export function releasePackage(project: ProjectPackage): ProjectPackage & { private: true; type: 'module'; scripts: typeof RELEASE_SCRIPTS } {
  return {
    name: `${project.name}-assignment`,
    version: project.version,
    private: true,
    description: 'Back-propagation network assignment: your code, the grader and its public tests.',
    type: 'module',
    ...(project.engines ? { engines: project.engines } : {}),
    scripts: RELEASE_SCRIPTS,
    dependencies: pick(project.dependencies, RELEASE_DEPENDENCIES, 'dependency'),
    devDependencies: pick(project.devDependencies, RELEASE_DEV_DEPENDENCIES, 'devDependency'),
  };
}
