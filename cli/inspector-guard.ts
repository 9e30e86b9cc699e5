/**
 * Imported first by every command that grades, trains, tunes or benches: a
 * SIGUSR1 would otherwise open Node's inspector on 127.0.0.1:9229, and code
 * that reaches it (a submission's child, through `process._debugProcess` or the
 * network) runs with all the grader's rights. A listener of our own replaces
 * Node's SIGUSR1 handler, so the signal does nothing; `bin/grade` and
 * `bin/grade-batch` also pass `--disable-sigusr1` where Node has it (22.14+, 23.7+).
 */
process.on('SIGUSR1', () => { /* ignored on purpose: see above */ });
