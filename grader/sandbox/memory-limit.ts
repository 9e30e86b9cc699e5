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
 * Node 20 and 22; the rest is headroom. Node 24 starts at 1.2 GB, so it gets 0.5 GB more.
 */
function baseBytes(major: number): number {
  return (major >= 24 ? 2.5 : 2) * 1024 ** 3;
}

/**
 * Address space V8 reserves (not uses) for one WebAssembly memory on 64-bit
 * machines: 8 GiB plus guard regions, so bounds checks can be left to the MMU.
 * Without it the provided SIMD matmul kernel cannot start in the child (measured on
 * Node 20 and 22: a memory is refused under a 10 GiB limit and granted under 11 GiB).
 * Node 24's V8 reserves 4 GiB under an address-space limit (measured: 5.3 GB in all
 * after start, with the limit anywhere from 5.5 to 12.5 GiB); counting 10 there left
 * 7 GB for ArrayBuffers beside a 256 MB heap.
 * The child reserves it before any student code runs.
 */
function wasmReservationBytes(major: number): number {
  return (major >= 24 ? 4 : 10) * 1024 ** 3;
}

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
 * The address-space limit for a child whose heap limit is `memoryMb`, on Node `version`
 * (the child's is the grader's): the heap, as much again for ArrayBuffers (a data set,
 * its copies), Node's base and the WebAssembly reservation.
 * Undefined where prlimit is missing (then only the heap is limited).
 */
export function addressSpaceLimit(memoryMb: number, version = process.versions.node): number | undefined {
  const major = Number(version.split('.')[0]);
  return findPrlimit() ? 2 * memoryMb * 1024 ** 2 + baseBytes(major) + wasmReservationBytes(major) : undefined;
}

/** The command and arguments that start `command args` under the limit (or unlimited where prlimit is missing). */
export function limitedCommand(memoryMb: number, command: string, args: string[]): [string, string[]] {
  const bytes = addressSpaceLimit(memoryMb);
  const tool = findPrlimit();
  return bytes === undefined || !tool ? [command, args] : [tool, [`--as=${bytes}`, '--', command, ...args]];
}
