/** @file The one error class for the book's models: a bad size argument, a checkpoint that is not the model's. */
import { StripesError } from "../errors";

export class ModelError extends StripesError {}
