/**
 * @file Where the library runs, for the few places that must say something different in a browser
 * (an engine that needs Node, a file that cannot be written). The browser bundle replaces this
 * file with runtime.browser.ts; nothing checks `window` at run time.
 */
export const RUNTIME: "node" | "browser" = "node";
