/**
 * @file The base of every error stripes raises for a user's input (a bad file, a wrong
 * argument). Each area has its own subclass (CheckpointError, ImageError, …); the CLI prints
 * their one-line message without a stack trace and exits non-zero. Any other error is a bug.
 */
export class StripesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Why a file could not be read, in a few words on one line ("no such file", "is a folder, not a notebook"). */
export function readProblem(err: unknown, what: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return "no such file";
  if (e?.code === "EISDIR") return `is a folder, not ${what}`;
  if (e?.code === "EACCES") return "permission denied";
  return String(e?.message ?? e).replace(/\s+/g, " ");
}
