/**
 * The child's memory limit beyond the V8 heap. --max-old-space-size does not
 * cover ArrayBuffers (a Float64Array's storage), so a submission could fill the
 * machine with typed arrays; an address-space limit (RLIMIT_AS, set by
 * util-linux's `prlimit`) covers everything the process maps.
 */
import { accessSync, constants } from 'node:fs';

/**
 * Address space that Node needs besides the heap and the ArrayBuffers: about
 * 0.7 GB right after start (code, thread stacks, V8 reservations), measured on
 * Node 20; the rest is headroom.
 */
const BASE_BYTES = 2 * 1024 ** 3;

/**
 * Address space V8 reserves (not uses) for one WebAssembly memory on 64-bit
 * machines: 8 GiB plus guard regions, so bounds checks can be left to the MMU.
 * Without it the provided SIMD matmul kernel cannot start in the child (measured on
 * Node 20: a memory is refused under a 10 GiB limit and granted under 11 GiB).
 * The child reserves it before any student code runs.
 */
const WASM_RESERVATION_BYTES = 10 * 1024 ** 3;

/** Where prlimit is, looked up once in the usual places (the child starts with an empty PATH). */
let prlimit: string | null | undefined;
function findPrlimit(): string | null {
  if (prlimit === undefined) {
    prlimit = ['/usr/bin/prlimit', '/bin/prlimit', '/usr/local/bin/prlimit'].find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }) ?? null;
  }
  return prlimit;
}

/**
 * The address-space limit for a child whose heap limit is `memoryMb`: the heap,
 * as much again for ArrayBuffers (a data set, its copies), BASE_BYTES and the
 * WebAssembly reservation.
 * Undefined where prlimit is missing (then only the heap is limited).
 */
export function addressSpaceLimit(memoryMb: number): number | undefined {
  return findPrlimit() ? 2 * memoryMb * 1024 ** 2 + BASE_BYTES + WASM_RESERVATION_BYTES : undefined;
}

/** The command and arguments that start `command args` under the limit (or unlimited where prlimit is missing). */
export function limitedCommand(memoryMb: number, command: string, args: string[]): [string, string[]] {
  const bytes = addressSpaceLimit(memoryMb);
  const tool = findPrlimit();
  return bytes === undefined || !tool ? [command, args] : [tool, [`--as=${bytes}`, '--', command, ...args]];
}
