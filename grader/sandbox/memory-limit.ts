/**
 * The child's memory cap beyond the V8 heap. --max-old-space-size does not
 * cover ArrayBuffers (a Float64Array's storage), so a submission could fill the
 * machine with typed arrays. RLIMIT_DATA (util-linux's `prlimit --data`)
 * counts every private writable mapping, ArrayBuffers included, but not
 * address space that is only reserved (the WebAssembly kernel's 8 GiB guard
 * region, V8's pointer cage), so the cap can be close to what the child really uses.
 */

/**
 * Private writable memory Node holds right after the child has started and
 * loaded the SIMD kernel, plus headroom, per Node major. Measured (VmData of a
 * ready child): Node 20 82 MB, Node 22 51 MB, Node 24 565 MB (Node 24
 * starts about 0.5 GiB higher); a major not listed gets the largest.
 */
const BASE_MB_BY_MAJOR: Record<number, number> = { 20: 256, 22: 256, 24: 768 };
const BASE_MB_DEFAULT = 768;

/** What Node itself needs besides the heap and the ArrayBuffers, in MB, for this Node version. */
export function baseMemoryMb(version = process.versions.node): number {
  return BASE_MB_BY_MAJOR[Number(version.split('.')[0])] ?? BASE_MB_DEFAULT;
}

/**
 * The RLIMIT_DATA of a child whose heap limit is `memoryMb`: the heap, as much
 * again for ArrayBuffers (a data set, its copies) and Node's own base.
 */
export function dataLimitBytes(memoryMb: number, version = process.versions.node): number {
  return (2 * memoryMb + baseMemoryMb(version)) * 1024 ** 2;
}

/** The `prlimit` arguments that start `command args` under the cap. */
export function memoryCapArgs(memoryMb: number, command: string, args: string[]): string[] {
  return [`--data=${dataLimitBytes(memoryMb)}`, '--', command, ...args];
}
