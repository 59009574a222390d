/**
 * @file kernel_info_reply's content. What differs by platform (the language's version, the
 * banner's words) comes in; the shape, which front ends read field by field, is fixed here.
 */
export interface KernelInfoParts {
  /** stripes' version (package.json). */
  version: string;
  /** Cells are JavaScript (the `--js` kernel) rather than TypeScript. */
  js: boolean;
  /** The cell language's version: TypeScript's for TypeScript, the JavaScript engine's for JS. */
  languageVersion: string;
  /** The whole banner line, written by the platform (it names the compiler and the engine). */
  banner: string;
}

export function kernelInfoContent(p: KernelInfoParts): object {
  return {
    status: "ok",
    protocol_version: "5.3", // protocol/message.ts PROTOCOL_VERSION; not imported, as that file needs Node
    implementation: "stripes",
    implementation_version: p.version,
    language_info: {
      name: p.js ? "javascript" : "typescript",
      version: p.languageVersion,
      mimetype: p.js ? "text/javascript" : "text/typescript",
      file_extension: p.js ? ".js" : ".ts",
      // JupyterLab reads `mode`; classic Notebook needs name + typescript (as tslab found).
      codemirror_mode: p.js ? "javascript" : { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: p.banner,
    help_links: [],
  };
}
