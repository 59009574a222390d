/** Every backend stripes knows; an environment (Node, a browser) offers some of them. */
export type BackendName = "tensorflow" | "webgpu" | "webgl" | "wasm" | "cpu";

/** What differs between Node and a browser in choosing and starting a backend. */
export interface BackendEnvironment {
  /** The backends this environment can offer, best first: ready() takes the first that starts. */
  readonly backends: readonly BackendName[];
  /** Where the user's choice comes from, for error messages ("STRIPES_BACKEND"). */
  readonly variable: string;
  /** The user's choice of backend, if any. */
  wanted(): string | undefined;
  /** Registers a backend's factory with tfjs; false when it is not installed or does not load here. */
  register(name: BackendName): boolean;
  /** Threads the current backend computes with. */
  threads(): number;
  /**
   * Starts, once the training backend is chosen, the backend that large inference runs on when it
   * is not that one (Node: a threaded wasm beside the 1-thread wasm); its name, or undefined.
   */
  startInference(chosen: BackendName): Promise<string | undefined>;
  /** The started inference backend's name and threads, or undefined. */
  inference(): { name: string; threads: number } | undefined;
  /** Import-time setup; `prepare` registers stripes' kernels and must run before a backend's first op. */
  setup(prepare: () => void): void;
}
