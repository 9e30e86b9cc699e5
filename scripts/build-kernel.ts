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

/** The text of dot-wasm.ts for the given WAT source (plain SIMD only: no relaxed SIMD, so results stay deterministic). */
export async function generatedSource(wat: string): Promise<string> {
  const tools = await wabt();
  const module = tools.parseWat('dot.wat', wat, { simd: true, relaxed_simd: false });
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    const base64 = Buffer.from(buffer).toString('base64');
    return [
      '// GENERATED, do not edit: `npx tsx scripts/build-kernel.ts` writes this file from dot.wat.',
      '',
      '/** The compiled dense matmul kernel (dot.wat), as base64 so no build step or file read is needed. */',
      `export const DOT_WASM_BASE64 =\n  '${base64}';`,
      '',
    ].join('\n');
  } finally {
    module.destroy();
  }
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
