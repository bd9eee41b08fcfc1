// The inputs and outputs of a training graph: parameters fed by name (HF's full names, in the tfjs layout of
// @bertkit/encoder's variables: Dense kernels [in, out]) and checked against the shapes the caller holds, data
// inputs with symbolic dimensions, and named outputs.
import { OnnxExportError } from '../errors.js';
import type { GraphBuilder } from '../graph-builder.js';
import { DataType, valueInfo, type Dim, type ValueInfoProto } from '../onnx-proto.js';

export class GraphIo {
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  /** Parameters the graph reads, in the order it first read them. */
  readonly params: string[] = [];

  constructor(
    readonly g: GraphBuilder,
    private readonly shapes: ReadonlyMap<string, readonly number[]>,
  ) {}

  /** A parameter input `name`; its shape must be `expected` (dims < 0 are taken from the caller's shape). */
  param(name: string, expected: readonly number[]): string {
    const shape = this.shapes.get(name);
    if (shape === undefined) throw new OnnxExportError(`parameters["${name}"]`, `a [${expected.join(', ')}] tensor`, 'none');
    const ok = shape.length === expected.length && expected.every((d, i) => d < 0 || d === shape[i]);
    if (!ok) throw new OnnxExportError(`parameters["${name}"]`, `shape [${expected.join(', ')}]`, `[${shape.join(', ')}]`);
    if (!this.params.includes(name)) {
      this.params.push(name);
      this.input(name, DataType.FLOAT, shape);
    }
    return name;
  }

  /** A graph input of `type` (DataType) and dims. */
  input(name: string, type: number, dims: readonly Dim[]): string {
    this.g.reserve(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Publishes `value` as the graph output `name` (through an Identity node). */
  output(name: string, value: string, dims: readonly Dim[]): void {
    this.g.op('Identity', [value], {}, { name });
    this.outputs.push(valueInfo(name, DataType.FLOAT, dims));
  }
}
