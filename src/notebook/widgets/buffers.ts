/**
 * @file Binary values in widget state (an Image's bytes): cut out of the JSON and sent as the
 * message's extra frames, with `buffer_paths` saying where each one goes back (ipywidgets'
 * `_remove_buffers` / `_put_buffers`, packages/schema/messages.md). A value in an object is
 * deleted from it, one in an array leaves null in its slot; paths come in buffer order.
 */

export type BufferPath = (string | number)[];

export interface SplitState {
  state: Record<string, unknown>;
  bufferPaths: BufferPath[];
  buffers: Uint8Array[];
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function asBytes(v: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Copies `state` without its binary values; the input is not modified. */
export function removeBuffers(state: Record<string, unknown>): SplitState {
  const bufferPaths: BufferPath[] = [];
  const buffers: Uint8Array[] = [];
  const walk = (value: unknown, path: BufferPath): unknown => {
    if (Array.isArray(value)) {
      return value.map((v, i) => {
        if (isBytes(v)) {
          buffers.push(asBytes(v));
          bufferPaths.push([...path, i]);
          return null;
        }
        return v !== null && typeof v === "object" ? walk(v, [...path, i]) : v;
      });
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isBytes(v)) {
        buffers.push(asBytes(v));
        bufferPaths.push([...path, k]);
      } else out[k] = v !== null && typeof v === "object" ? walk(v, [...path, k]) : v;
    }
    return out;
  };
  return { state: walk(state, []) as Record<string, unknown>, bufferPaths, buffers };
}

/** Puts received buffers back into `state` at their paths (modifies `state`, which came off the wire). */
export function putBuffers(state: Record<string, unknown>, bufferPaths: BufferPath[] = [], buffers: Uint8Array[] = []): void {
  bufferPaths.forEach((path, i) => {
    if (i >= buffers.length || path.length === 0) return;
    let obj: any = state;
    for (const key of path.slice(0, -1)) obj = obj?.[key];
    if (obj !== null && typeof obj === "object") obj[path[path.length - 1]] = buffers[i];
  });
}
