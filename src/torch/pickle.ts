/**
 * @file A whitelisting unpickler: Python's pickle protocols 0–5 for data only.
 *
 * What it allows, and why:
 * - Every opcode that builds plain data (numbers, strings, bytes, None, bools, lists, tuples,
 *   dicts, sets) and the memo opcodes: a checkpoint is made of these.
 * - GLOBAL / STACK_GLOBAL only for names on the allow-list (globals.ts); any other name is
 *   refused on the spot, naming it, before anything else happens.
 * - REDUCE / NEWOBJ only on allowed globals that define a call; BUILD only on dicts and tensors.
 * - BINPERSID / PERSID: handed to the loader's `persistentLoad` (storages).
 * Refused: INST, OBJ (they create instances), EXT1/2/4 (the extension registry), and the
 * out-of-band buffers of protocol 5.
 *
 * Safety: dicts become `Map`s (keys never touch an object or its prototype); lengths are checked
 * against the bytes left before anything is read or allocated; the memo is a Map (a huge index
 * allocates nothing). The reader is a loop, not a recursion. Every problem is a CheckpointError
 * naming the file, the opcode and its byte offset.
 *
 * Porting note: opcodes and their encodings follow CPython's Lib/pickle.py and pickletools.py.
 */
import { CheckpointError } from "./errors";
import { PickleProblem, PyGlobal, build, describe, findGlobal } from "./globals";

export interface UnpickleOptions {
  /** Shown at the start of every error message. */
  file: string;
  /** Resolves a persistent id (`('storage', …)` in checkpoints). */
  persistentLoad?: (pid: unknown) => unknown;
  /** The record holding the pickle, for byte offsets inside a zip (`archive/data.pkl`). */
  record?: string;
}

/** The most marks, memo entries or stack items any checkpoint needs is far below this. */
const MAX_ITEMS = 1 << 24;
/** Python ints wider than this many bytes are refused (checkpoints use ≤ 10). */
const MAX_LONG_BYTES = 256;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");

/**
 * Reads one pickle from `bytes` starting at `start`. Returns the value and the offset just past
 * its STOP opcode (legacy checkpoints are several pickles back to back).
 */
export function unpickle(bytes: Uint8Array, start: number, options: UnpickleOptions): { value: unknown; end: number } {
  const { file, persistentLoad, record } = options;
  const where = () => `at byte ${opAt}${record ? ` of ${record}` : ""}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let pos = start;
  let opAt = start;
  let opName = "";
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const fail = (problem: string): never => {
    throw new CheckpointError(file, `${problem} (pickle opcode ${opName} ${where()})`);
  };
  const need = (n: number): number => {
    if (n > end - pos) {
      throw new CheckpointError(file, `truncated: pickle opcode ${opName} ${where()} needs ${n} bytes, ${end - pos} left`);
    }
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = (): number => {
    const at = need(8);
    const hi = view.getUint32(at + 4, true);
    if (hi >= 0x200000) fail("length does not fit in 53 bits");
    return hi * 2 ** 32 + view.getUint32(at, true);
  };
  const take = (n: number) => bytes.subarray(need(n), pos);
  const line = (): string => {
    const nl = bytes.indexOf(10, pos);
    if (nl < 0) throw new CheckpointError(file, `truncated: pickle opcode ${opName} ${where()} has no end of line`);
    // Protocol 0's text is ASCII, or latin-1 bytes for UNICODE's raw-unicode-escape.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + pos, nl - pos).toString("latin1");
    pos = nl + 1;
    return text;
  };
  const text = (n: number): string => {
    const b = take(n);
    try {
      return utf8.decode(b);
    } catch {
      return fail("invalid UTF-8 in a string");
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail("stack is empty");
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail("stack is empty");
    return stack[stack.length - 1];
  };
  const push = (x: unknown) => {
    if (stack.length >= MAX_ITEMS) fail("stack too deep");
    stack.push(x);
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) fail("no MARK before it");
    stack = previous!;
    return items;
  };
  const memoGet = (i: number) => {
    if (!memo.has(i)) fail(`memo key ${i} was never stored`);
    return memo.get(i);
  };
  const memoPut = (i: number) => {
    if (memo.size >= MAX_ITEMS && !memo.has(i)) fail("memo too large");
    memo.set(i, top());
  };
  const global = (module: string, name: string): PyGlobal => {
    const found = findGlobal(module, name);
    if (!found) {
      // torch.save(model) pickles the module's classes: say what to do instead.
      const hint = module.startsWith("torch.nn.") || module === "__main__" ? " (a whole pickled model: save its state_dict() instead)" : "";
      throw new CheckpointError(file, `refusing global ${module}.${name}: not allowed in a checkpoint${hint}`);
    }
    return found;
  };
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof PickleProblem) fail(err.message);
      throw err;
    }
  };
  const setItems = (dict: unknown, items: unknown[]) => {
    if (!(dict instanceof Map)) fail(`SETITEM on ${describe(dict)}, not a dict`);
    if (items.length % 2) fail("odd number of items for a dict");
    for (let i = 0; i < items.length; i += 2) (dict as Map<unknown, unknown>).set(items[i], items[i + 1]);
  };
  const appendItems = (list: unknown, items: unknown[]) => {
    if (!Array.isArray(list)) fail(`APPEND on ${describe(list)}, not a list`);
    for (const item of items) (list as unknown[]).push(item);
  };
  const long = (n: number): number | bigint => {
    if (n > MAX_LONG_BYTES) fail(`integer of ${n} bytes is too large`);
    const b = take(n);
    if (n === 0) return 0;
    let hex = "";
    for (let i = n - 1; i >= 0; i--) hex += b[i].toString(16).padStart(2, "0");
    let v = BigInt("0x" + hex);
    if (b[n - 1] & 0x80) v -= 1n << BigInt(8 * n); // two's complement
    return toNumber(v);
  };
  const textInt = (s: string): number | bigint | boolean => {
    const t = s.trim().replace(/L$/, "");
    if (t === "01" && opName === "INT") return true; // protocol 0 spells True as I01
    if (t === "00" && opName === "INT") return false;
    if (!/^[-+]?\d+$/.test(t) || t.length > 2 * MAX_LONG_BYTES) fail(`bad integer '${s.slice(0, 40)}'`);
    return toNumber(BigInt(t));
  };

  for (;;) {
    opAt = pos;
    opName = "";
    if (pos >= end) throw new CheckpointError(file, `truncated: pickle ends ${where()} without STOP`);
    const op = bytes[pos++];
    opName = OPCODE_NAMES[op] ?? `0x${op.toString(16).padStart(2, "0")}`;
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v > 5) fail(`unsupported pickle protocol ${v}`);
        break;
      }
      case 0x95: // FRAME: a length prefix we do not need
        u64();
        break;
      case 0x2e: // STOP '.'
        if (marks.length) fail("unclosed MARK");
        return { value: pop(), end: pos };
      case 0x28: // MARK '('
        if (marks.length >= MAX_ITEMS) fail("too many MARKs");
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP '0'
        if (stack.length) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK '1'
        popMark();
        break;
      case 0x32: // DUP '2'
        push(top());
        break;

      // --- scalars ---
      case 0x4e: push(null); break; // NONE 'N'
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4b: push(u8()); break; // BININT1 'K'
      case 0x4d: push(u16()); break; // BININT2 'M'
      case 0x4a: push(view.getInt32(need(4), true)); break; // BININT 'J'
      case 0x8a: push(long(u8())); break; // LONG1
      case 0x8b: { // LONG4
        const n = view.getInt32(need(4), true);
        if (n < 0) fail(`negative length ${n}`);
        push(long(n));
        break;
      }
      case 0x49: push(textInt(line())); break; // INT 'I'
      case 0x4c: push(textInt(line())); break; // LONG 'L'
      case 0x47: push(view.getFloat64(need(8), false)); break; // BINFLOAT 'G' (big-endian)
      case 0x46: { // FLOAT 'F'
        const s = line().trim();
        const v = Number(s);
        if (s === "" || (Number.isNaN(v) && !/^[-+]?nan$/i.test(s))) fail(`bad float '${s.slice(0, 40)}'`);
        push(v);
        break;
      }

      // --- strings and bytes ---
      case 0x58: push(text(u32())); break; // BINUNICODE 'X'
      case 0x8c: push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(text(u64())); break; // BINUNICODE8
      case 0x56: push(rawUnicodeEscape(line())); break; // UNICODE 'V'
      // Python 2 str: decoded as UTF-8 like torch.load's default encoding (lossy, never fails).
      case 0x55: push(lossyUtf8.decode(take(u8()))); break; // SHORT_BINSTRING 'U'
      case 0x54: { // BINSTRING 'T'
        const n = view.getInt32(need(4), true);
        if (n < 0) fail(`negative length ${n}`);
        push(lossyUtf8.decode(take(n)));
        break;
      }
      case 0x53: push(lossyUtf8.decode(Buffer.from(quotedString(line(), fail), "latin1"))); break; // STRING 'S'
      case 0x43: push(take(u8()).slice()); break; // SHORT_BINBYTES 'C'
      case 0x42: push(take(u32()).slice()); break; // BINBYTES 'B'
      case 0x8e: push(take(u64()).slice()); break; // BINBYTES8
      case 0x96: push(take(u64()).slice()); break; // BYTEARRAY8

      // --- containers ---
      case 0x7d: push(new Map()); break; // EMPTY_DICT '}'
      case 0x5d: push([]); break; // EMPTY_LIST ']'
      case 0x29: push([]); break; // EMPTY_TUPLE ')'
      case 0x8f: push(new Set()); break; // EMPTY_SET
      case 0x64: { // DICT 'd'
        const d = new Map();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x6c: push(popMark()); break; // LIST 'l'
      case 0x74: push(popMark()); break; // TUPLE 't'
      case 0x91: push(new Set(popMark())); break; // FROZENSET
      case 0x85: push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); push([pop(), b, c]); break; } // TUPLE3
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND 'a'
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS 'e'
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM 's'
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS 'u'
      case 0x90: { // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail(`ADDITEMS on ${describe(s)}, not a set`);
        for (const item of items) (s as Set<unknown>).add(item);
        break;
      }

      // --- memo ---
      case 0x67: push(memoGet(Number(textInt(line())))); break; // GET 'g'
      case 0x68: push(memoGet(u8())); break; // BINGET 'h'
      case 0x6a: push(memoGet(u32())); break; // LONG_BINGET 'j'
      case 0x70: memoPut(Number(textInt(line()))); break; // PUT 'p'
      case 0x71: memoPut(u8()); break; // BINPUT 'q'
      case 0x72: memoPut(u32()); break; // LONG_BINPUT 'r'
      case 0x94: memoPut(memo.size); break; // MEMOIZE

      // --- globals and calls, allowed names only ---
      case 0x63: { // GLOBAL 'c'
        const module = line();
        push(global(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        push(global(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE 'R'
        const args = pop();
        const callable = pop() as PyGlobal;
        if (!Array.isArray(args)) fail(`REDUCE arguments must be a tuple, got ${describe(args)}`);
        if (!callable?.call) fail(`REDUCE on ${describe(callable)} is not allowed`);
        push(guard(() => callable.call!(args as unknown[])));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop() as PyGlobal;
        if (!Array.isArray(args)) fail(`NEWOBJ arguments must be a tuple, got ${describe(args)}`);
        if (!cls?.construct) fail(`NEWOBJ on ${describe(cls)} is not allowed`);
        push(guard(() => cls.construct!(args as unknown[])));
        break;
      }
      case 0x92: { // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop() as PyGlobal;
        if (!Array.isArray(args) || !(kwargs instanceof Map) || kwargs.size) fail("NEWOBJ_EX with keyword arguments is not allowed");
        if (!cls?.construct) fail(`NEWOBJ_EX on ${describe(cls)} is not allowed`);
        push(guard(() => cls.construct!(args as unknown[])));
        break;
      }
      case 0x62: { // BUILD 'b'
        const state = pop();
        guard(() => build(top(), state));
        break;
      }
      case 0x51: { // BINPERSID 'Q'
        const pid = pop();
        if (!persistentLoad) fail("persistent id in a pickle that has no storages");
        push(guard(() => persistentLoad!(pid)));
        break;
      }
      case 0x50: { // PERSID 'P'
        const pid = line();
        if (!persistentLoad) fail("persistent id in a pickle that has no storages");
        push(guard(() => persistentLoad!(pid)));
        break;
      }

      // --- refused: they create instances or reach outside the data ---
      case 0x69: { // INST 'i'
        const module = line();
        global(module, line()); // names a refused global first, like GLOBAL would
        throw new CheckpointError(file, `pickle opcode INST ${where()} is not allowed in a checkpoint`);
      }
      case 0x6f: // OBJ 'o'
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw new CheckpointError(file, `pickle opcode ${opName} ${where()} is not allowed in a checkpoint`);
      default:
        throw new CheckpointError(file, `unknown pickle opcode ${opName} ${where()}`);
    }
  }
}

/** A number when it is exact, else a BigInt. */
function toNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Protocol 0's UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes). */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a, b) => String.fromCodePoint(parseInt(a ?? b, 16)));
}

/** Protocol 0's STRING: a Python 2 repr in quotes, e.g. 'it\'s' or "a\x00b". */
function quotedString(s: string, fail: (p: string) => never): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) fail("STRING is not quoted");
  const body = s.slice(1, -1);
  const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" };
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return simple[e] ?? "\\" + e;
  });
}

/** Opcode byte → name, for messages (pickletools' names). */
const OPCODE_NAMES: Record<number, string> = {
  0x80: "PROTO", 0x95: "FRAME", 0x2e: "STOP", 0x28: "MARK", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP",
  0x4e: "NONE", 0x88: "NEWTRUE", 0x89: "NEWFALSE", 0x4b: "BININT1", 0x4d: "BININT2", 0x4a: "BININT",
  0x8a: "LONG1", 0x8b: "LONG4", 0x49: "INT", 0x4c: "LONG", 0x47: "BINFLOAT", 0x46: "FLOAT",
  0x58: "BINUNICODE", 0x8c: "SHORT_BINUNICODE", 0x8d: "BINUNICODE8", 0x56: "UNICODE",
  0x55: "SHORT_BINSTRING", 0x54: "BINSTRING", 0x53: "STRING", 0x43: "SHORT_BINBYTES", 0x42: "BINBYTES",
  0x8e: "BINBYTES8", 0x96: "BYTEARRAY8", 0x7d: "EMPTY_DICT", 0x5d: "EMPTY_LIST", 0x29: "EMPTY_TUPLE",
  0x8f: "EMPTY_SET", 0x64: "DICT", 0x6c: "LIST", 0x74: "TUPLE", 0x91: "FROZENSET", 0x85: "TUPLE1",
  0x86: "TUPLE2", 0x87: "TUPLE3", 0x61: "APPEND", 0x65: "APPENDS", 0x73: "SETITEM", 0x75: "SETITEMS",
  0x90: "ADDITEMS", 0x67: "GET", 0x68: "BINGET", 0x6a: "LONG_BINGET", 0x70: "PUT", 0x71: "BINPUT",
  0x72: "LONG_BINPUT", 0x94: "MEMOIZE", 0x63: "GLOBAL", 0x93: "STACK_GLOBAL", 0x52: "REDUCE",
  0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x62: "BUILD", 0x51: "BINPERSID", 0x50: "PERSID", 0x69: "INST",
  0x6f: "OBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
};
