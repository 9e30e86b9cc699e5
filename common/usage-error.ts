/** A bad command line or request: the commands print its message as one line and exit with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
