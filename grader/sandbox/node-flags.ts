/**
 * The Node flags that lock the child down, chosen by Node version: the
 * permission model (read access to the bundle dir only; no writes, child
 * processes, workers or addons) and the heap limit.
 */

/** `--permission` where Node has it (22.13+, 23.5+), `--experimental-permission` before. */
export function permissionFlag(version = process.versions.node): string {
  const [major, minor] = version.split('.').map(Number);
  const stable = major >= 24 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  return stable ? '--permission' : '--experimental-permission';
}

/** Silences only Node's "permission is experimental" notice, so it does not pollute the student's output. */
function quietFlag(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  const hasDisableWarning = major >= 22 || (major === 21 && minor >= 3) || (major === 20 && minor >= 11);
  return hasDisableWarning ? '--disable-warning=ExperimentalWarning' : '--no-warnings';
}

/** Every flag the child starts with; `readDir` is the one directory it may read. */
export function sandboxFlags(readDir: string, memoryMb: number, version = process.versions.node): string[] {
  return [
    permissionFlag(version),
    `--allow-fs-read=${readDir}`,
    `--max-old-space-size=${memoryMb}`,
    '--enable-source-maps',
    quietFlag(version),
  ];
}
