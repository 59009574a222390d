// What a Node-only module (fs, sharp, zeromq, …) is in the browser bundle: any function called on
// it throws one line naming it (a StripesError, so a notebook shows the line, not a stack trace);
// constants a module reads at import (util.inspect.custom) exist.
const { StripesError } = require("../src/errors");

module.exports = (name) => {
  const fail = (what) => function () {
    throw new StripesError(`this needs Node's ${name}${what ? `.${what}` : ""}, which the browser build of stripes does not have`);
  };
  const custom = Symbol.for("nodejs.util.inspect.custom");
  const handler = {
    get(target, key) {
      if (key === "__esModule") return false;
      if (key === "custom") return custom;
      if (key === "default") return stub("");
      // read as text at import (a path joined into a constant): a placeholder, not an error
      if (key === "toString" || key === Symbol.toPrimitive) return () => `[${name} is not in the browser build]`;
      if (typeof key === "symbol") return undefined;
      return stub(String(key));
    },
  };
  const stub = (what) => new Proxy(fail(what), handler);
  return stub("");
};
