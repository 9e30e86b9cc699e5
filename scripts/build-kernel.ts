/**
 * `npx tsx scripts/build-kernel.ts`: compiles starter/provided/kernel/dot.wat
 * (WebAssembly text) into dot-wasm.ts, which embeds the bytes as base64 so that
 * students and the sandboxed child need no build step and no file reads.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const KERNEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../starter/provided/kernel');
/** The hand-written kernel source. */
export const WAT_PATH = path.join(KERNEL_DIR, 'dot.wat');
/** The generated module that embeds the compiled bytes. */
export const GENERATED_PATH = path.join(KERNEL_DIR, 'dot-wasm.ts');

/** The memory line of dot.wat: the module owns its memory. */
const OWN_MEMORY = '(memory (export "memory") 1)';
/** The same module over a memory it imports, shared with worker threads (up to 2 GiB, as dot.ts allows). */
const SHARED_MEMORY = '(import "env" "memory" (memory 1 32768 shared))';

/**
 * The bytes of the module assembled from WAT text, as base64 (plain SIMD only: no
 * relaxed SIMD, so results stay deterministic). wabt's validator rejects shared
 * memories whatever the features, so that variant is checked by WebAssembly.validate.
 */
async function assemble(wat: string, shared: boolean): Promise<string> {
  const tools = await wabt();
  const module = tools.parseWat('dot.wat', wat, { simd: true, relaxed_simd: false, threads: shared });
  try {
    if (!shared) module.validate();
    const { buffer } = module.toBinary({});
    if (shared && !WebAssembly.validate(new Uint8Array(buffer))) throw new Error('the shared-memory variant of dot.wat does not validate');
    return Buffer.from(buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

/** The text of dot-wasm.ts for the given WAT source: the module, and its variant over a shared memory. */
export async function generatedSource(wat: string): Promise<string> {
  if (!wat.includes(OWN_MEMORY)) throw new Error(`dot.wat must declare its memory as ${OWN_MEMORY}`);
  return [
    '// GENERATED, do not edit: `npx tsx scripts/build-kernel.ts` writes this file from dot.wat.',
    '',
    '/** The compiled dense matmul kernel (dot.wat), as base64 so no build step or file read is needed. */',
    `export const DOT_WASM_BASE64 =\n  '${await assemble(wat, false)}';`,
    '',
    '/** The same kernel importing a shared memory as env.memory, for a second thread in parent-side commands. */',
    `export const DOT_WASM_SHARED_BASE64 =\n  '${await assemble(wat.replace(OWN_MEMORY, SHARED_MEMORY), true)}';`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const wat = await readFile(WAT_PATH, 'utf8');
  await writeFile(GENERATED_PATH, await generatedSource(wat));
  console.log(`wrote ${path.relative(process.cwd(), GENERATED_PATH)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`build-kernel: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
