/**
 * @file Building an ONNX model (a graph of nodes, initializers, inputs and outputs) and writing
 * it as protobuf bytes through protobufjs with ONNX's own schema (onnx-proto.json, generated from
 * the vendored onnx.proto by scripts/onnx-proto.js), so the bytes are the library's, not ours.
 *
 * Example:
 *   const g = new OnnxGraph();
 *   const x = g.input("input", [1, 3, "height", "width"]);
 *   g.output(g.node("Relu", [x]), [1, 3, "height", "width"]);
 *   const bytes = g.toBytes();           // a ModelProto, opset 17
 */
import * as protobuf from "protobufjs";
import descriptor from "./onnx-proto.json";

/** The opset every node is written for: the newest the Debian checker (onnx 1.12) knows. */
export const OPSET = 17;
/** IR version 8 goes with opset 17 (onnx/helper.py VERSION_TABLE). */
export const IR_VERSION = 8;

/** onnx.proto's TensorProto.DataType values we write. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
/** onnx.proto's AttributeProto.AttributeType values we write. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** A dimension: a fixed size or a symbolic name (dynamic, e.g. "height"). */
export type Dim = number | string;
export type Attribute = number | string | number[] | { float: number } | { floats: number[] };

let modelType: protobuf.Type | undefined;
function ModelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType("onnx.ModelProto");
  return modelType;
}

function attribute(name: string, value: Attribute): object {
  // Plain numbers are INTs (ONNX's kernel sizes, pads, axes); floats are spelled out.
  if (typeof value === "number") return { name, type: AttributeType.INT, i: value };
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: Buffer.from(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ("float" in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.FLOATS, floats: value.floats };
}

function valueInfo(name: string, shape: Dim[], elemType: number = DataType.FLOAT): object {
  const dim = shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

export class OnnxGraph {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly used = new Set<string>();
  private readonly filledNames = new Map<string, string>();
  private counter = 0;

  constructor(readonly name = "stripes") {}

  /** A name not used yet in this graph, from a readable stem (`model.1.weight`, `Conv_3`). */
  fresh(stem: string): string {
    let name = stem;
    while (this.used.has(name)) name = `${stem}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  input(name: string, shape: Dim[]): string {
    const n = this.fresh(name);
    this.inputs.push(valueInfo(n, shape));
    return n;
  }

  output(name: string, shape: Dim[]): void {
    this.outputs.push(valueInfo(name, shape));
  }

  /** A float32 constant (weights, biases), stored as little-endian raw_data. */
  initializer(name: string, values: Float32Array, dims: number[]): string {
    const n = this.fresh(name);
    // raw_data is little-endian by ONNX's spec; Node's typed arrays are too on every host it runs
    // on. A view, not a copy: the weights are 45 MB for the book's generator.
    const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name: n, dims, data_type: DataType.FLOAT, raw_data: raw });
    return n;
  }

  /** A float32 vector of `n` × `value` named `stem_n`, written once per graph however often asked for. */
  filled(stem: string, value: number, n: number): string {
    const key = `${stem}_${n}`;
    if (!this.filledNames.has(key)) this.filledNames.set(key, this.initializer(key, new Float32Array(n).fill(value), [n]));
    return this.filledNames.get(key)!;
  }

  /** An int64 constant (Pad's pads, Reshape's shape). */
  int64(name: string, values: number[]): string {
    const n = this.fresh(name);
    this.initializers.push({ name: n, dims: [values.length], data_type: DataType.INT64, int64_data: values });
    return n;
  }

  /** Adds one node; returns the name of its (single) output. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}): string {
    const name = this.fresh(`${opType}_${this.nodes.length}`);
    const out = this.fresh(`${name}_out`);
    this.nodes.push({
      name,
      op_type: opType,
      input: inputs,
      output: [out],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** Renames the value `from` (a node's output) to `to`, e.g. to give the graph output its name. */
  rename(from: string, to: string): string {
    for (const node of this.nodes as { input: string[]; output: string[] }[]) {
      node.input = node.input.map((n) => (n === from ? to : n));
      node.output = node.output.map((n) => (n === from ? to : n));
    }
    this.used.add(to);
    return to;
  }

  /** The ModelProto as bytes. */
  toBytes(): Uint8Array {
    const Model = ModelProto();
    const model = {
      ir_version: IR_VERSION,
      producer_name: "stripes",
      producer_version: require("../../package.json").version,
      opset_import: [{ domain: "", version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const problem = Model.verify(model);
    if (problem) throw new Error(`OnnxGraph: invalid ModelProto: ${problem}`);
    return Model.encode(Model.fromObject(model)).finish();
  }
}

/** Decodes ModelProto bytes into a plain object (tests read back what was written). */
export function decodeModel(bytes: Uint8Array): Record<string, any> {
  const Model = ModelProto();
  return Model.toObject(Model.decode(bytes), { longs: Number, bytes: Buffer, defaults: false });
}
