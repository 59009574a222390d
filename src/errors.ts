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

/** The message of anything thrown: an Error's `message`, else the value as text. */
export function messageOf(err: unknown): string {
  return String((err as Error)?.message ?? err);
}

/**
 * A message on one line: each line break, with the spaces around it, becomes one space. For
 * messages that quote text with newlines in it (JSON.parse's, libvips', a learner's answer), so
 * that the error stays the one line a user is promised.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * The first line of what was thrown, for errors from other libraries whose later lines are a
 * dump (onnxruntime's, tfjs's) rather than more of the sentence.
 */
export function firstLine(err: unknown): string {
  return messageOf(err).split("\n")[0];
}

/** A thrown value shown without a stack, on one line: `Name: message`, or its text. */
export function errorLine(err: unknown): string {
  return oneLine(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

/** Why a file could not be read, in a few words on one line ("no such file", "is a folder, not a notebook"). */
export function readProblem(err: unknown, what: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return "no such file";
  if (e?.code === "EISDIR") return `is a folder, not ${what}`;
  if (e?.code === "EACCES") return "permission denied";
  return oneLine(messageOf(e));
}
