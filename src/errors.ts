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
