// node:util's inspect for the room's Web Worker bundle: a short text form of a value for
// text/plain (Node's own rendering is not available in a browser).
function inspect(value) {
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
  if (typeof value !== "object" || value === null) return String(value);
  if (typeof value.toString === "function" && value.toString !== Object.prototype.toString && !Array.isArray(value)) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
module.exports = { inspect };
