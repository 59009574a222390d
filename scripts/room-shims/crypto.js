// node:crypto as the kernel core's notebook/ files use it, for the room's Web Worker bundle.
function randomUUID() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function randomBytes(n) {
  const b = crypto.getRandomValues(new Uint8Array(n));
  return { toString: () => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("") };
}
module.exports = { randomUUID, randomBytes };
