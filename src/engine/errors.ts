/** @file The one error class for engines: an engine that cannot run here, a module with no ONNX export, a bad argument. */
import { StripesError } from "../errors";

export class EngineError extends StripesError {}
