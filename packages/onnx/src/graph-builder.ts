// A small builder for an ONNX graph: nodes in topological order (each `op` call appends one), initializers
// (weights and int64 constants) stored as little-endian raw_data, unique value names.
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from './onnx-proto.js';

/** An attribute value: a float, an int (`{ int: n }` so that 1 and 1.0 are told apart), ints, or a string. */
export type AttrValue = number | { int: number } | { ints: number[] } | { floats: number[] } | string;

export interface OpOptions {
  /** Operator-set domain: '' for ai.onnx (default), 'com.microsoft' for ORT contrib ops. */
  domain?: string;
  /** Name of the single output (default: a fresh name from the op type). */
  name?: string;
  /** Number of outputs; when > 1, `opN` returns all their names. */
  outputs?: number;
}

const encoder = new TextEncoder();

function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: encoder.encode(v) };
  if (typeof v === 'number') return { name, type: AttributeType.FLOAT, f: v };
  if ('int' in v) return { name, type: AttributeType.INT, i: v.int };
  if ('ints' in v) return { name, type: AttributeType.INTS, ints: v.ints };
  return { name, type: AttributeType.FLOATS, floats: v.floats };
}

/** Little-endian bytes of a typed array (a copy on big-endian hosts, a view otherwise). */
function leBytes(a: Float32Array | BigInt64Array | Int32Array): Uint8Array {
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (little) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof BigInt64Array) view.setBigInt64(i * 8, a[i], true);
    else if (a instanceof Int32Array) view.setInt32(i * 4, a[i], true);
    else view.setFloat32(i * 4, a[i], true);
  }
  return out;
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();
  /** Bytes of every initializer so far (the protobuf limit is 2 GiB). */
  initializerBytes = 0;

  /** A value name not used before: `base`, else `base_1`, `base_2`, ... */
  fresh(base: string): string {
    const name = this.freshName(base);
    this.names.add(name);
    return name;
  }

  /** Reserves a name the caller chose (graph inputs, outputs, weights); throws when already taken. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`GraphBuilder: value name ${JSON.stringify(name)} is used twice`);
    this.names.add(name);
    return name;
  }

  /** A float32 initializer named after its checkpoint key; returns the name. */
  float(name: string, data: Float32Array, dims: readonly number[]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`GraphBuilder: initializer ${name} has ${data.length} values, dims [${dims}] need ${n}`);
    this.initializers.push({ name: this.reserve(name), dims: [...dims], dataType: DataType.FLOAT, rawData: leBytes(data) });
    this.initializerBytes += data.byteLength;
    return name;
  }

  /** An int64 constant tensor (shared between uses of the same values); rank 0 when `scalar`. */
  int64(values: readonly number[], scalar = false): string {
    const key = `${scalar ? 's' : 'v'}:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(`const_${scalar ? 's' : 'v'}${values.join('_').replace(/-/g, 'm')}`);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: scalar ? [] : [values.length], dataType: DataType.INT64, rawData: leBytes(data) });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 scalar constant (one initializer per distinct value). */
  scalar(value: number, base = 'const_f'): string {
    const key = `f:${value}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [], dataType: DataType.FLOAT, rawData: leBytes(new Float32Array([value])) });
    this.constants.set(key, name);
    return name;
  }

  /** A float32 constant tensor of any shape (one initializer per call). */
  floats(values: readonly number[], dims: readonly number[], base = 'const_t'): string {
    return this.float(this.freshName(base), Float32Array.from(values), dims);
  }

  /** A name like `fresh` would give, not yet reserved (for `float`, which reserves it). */
  private freshName(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    return name;
  }

  /** Appends one node and returns the name of its (single) output. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, options: OpOptions = {}): string {
    return this.opN(opType, inputs, attrs, { ...options, outputs: 1 })[0];
  }

  /** Appends one node with `options.outputs` outputs and returns their names. */
  opN(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, options: OpOptions = {}): string[] {
    const count = options.outputs ?? 1;
    const outputs: string[] = [];
    for (let i = 0; i < count; i++) {
      outputs.push(i === 0 && options.name !== undefined ? this.reserve(options.name) : this.fresh(`${opType}_out`));
    }
    const node: NodeProto = {
      input: [...inputs],
      output: outputs,
      name: this.fresh(`${opType}_node`),
      opType,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    };
    if (options.domain) node.domain = options.domain;
    this.nodes.push(node);
    return outputs;
  }
}
