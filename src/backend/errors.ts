import { StripesError } from "../errors";

/** The backend could not be chosen or started (a bad STRIPES_BACKEND or STRIPES_THREADS, nothing installed). */
export class BackendError extends StripesError {}
