/**
 * @file The room's error for a user's mistake (a missing site folder, a port in use, a bad
 * `-o`): the CLI prints its one-line message and exits 1, with no stack trace.
 */
import { StripesError } from "../errors";

export class RoomError extends StripesError {}
