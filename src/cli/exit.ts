/**
 * @file The `stripes` command's exit codes, in a file of their own so that a subcommand can
 * return one without importing main.ts (which imports every subcommand: a cycle).
 *
 * 0 success, 1 a user error (bad file or argument, the message says which), 2 a batch where
 * some inputs failed, 70 an internal error (a bug: the stack trace is printed).
 */
export const EXIT = { ok: 0, userError: 1, someFailed: 2, internal: 70 } as const;
