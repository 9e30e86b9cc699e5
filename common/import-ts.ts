/**
 * Imports a TypeScript module by URL: natively where a TypeScript loader is
 * active (tsx, vitest), else through tsx's scoped loader, since the commands
 * run as precompiled JavaScript from dist/ (scripts/build-commands.mjs) and a
 * module named at run time (the reference, a mutant of it) is not in the bundle.
 */
export async function importTs<T = Record<string, unknown>>(url: string): Promise<T> {
  try {
    return (await import(url)) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as T;
  }
}
