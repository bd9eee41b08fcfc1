// Global-norm clipping and AdamW as one ONNX graph, the arithmetic of @bertkit/training's AdamW (torch.optim.AdamW)
// op for op: the norm as torch computes it (each gradient's norm, then the norm of those), the coefficient
// min(1, maxNorm / (norm + 1e-6)), then per parameter p ← p·decay; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
// p ← p − stepSize · m / (√v / bc2Sqrt + eps). Per-step scalars are inputs: `step_size` (lr / (1 − β1^t)),
// `bc2_sqrt` (√(1 − β2^t)) and `decay_factor` (1 − lr·wd, applied to the parameters `decayed` names).
import { GraphBuilder } from '../graph-builder.js';
import { IR_VERSION, OPSET } from '../build-model.js';
import { DataType, encodeModel, type ModelProto } from '../onnx-proto.js';
import { GraphIo } from './graph-inputs.js';

export interface AdamWGraphOptions {
  shapes: ReadonlyMap<string, readonly number[]>;
  beta1: number;
  beta2: number;
  eps: number;
  /** Parameters whose update applies `decay_factor`. */
  decayed: ReadonlySet<string>;
  /** Clip the gradients to this global norm; null: no clipping (the norm is still an output). */
  clipNorm: number | null;
}

/**
 * Inputs `param.<n>`, `grad.<n>`, `m.<n>`, `v.<n>` per parameter and the three scalars; outputs `grad_norm` and
 * `new_param.<n>`, `new_m.<n>`, `new_v.<n>`.
 */
export function buildAdamWGraph(options: AdamWGraphOptions): Uint8Array {
  const g = new GraphBuilder();
  const names = [...options.shapes.keys()];
  const prefixed = new Map<string, readonly number[]>();
  for (const [n, s] of options.shapes) for (const k of ['param', 'grad', 'm', 'v']) prefixed.set(`${k}.${n}`, s);
  const io = new GraphIo(g, prefixed);
  const scalar = (name: string) => io.input(name, DataType.FLOAT, []);
  const stepSize = scalar('step_size');
  const bc2Sqrt = scalar('bc2_sqrt');
  const decay = scalar('decay_factor');
  const c = (v: number, base: string) => g.scalar(v, base);
  const grads = names.map((n) => io.param(`grad.${n}`, options.shapes.get(n)!));
  const norms = grads.map((x) => g.op('Sqrt', [g.op('ReduceSumSquare', [x], { keepdims: { int: 0 } })])); // [] each
  const stacked = g.op('Concat', norms.map((x) => g.op('Unsqueeze', [x, g.int64([0])])), { axis: { int: 0 } }); // [K]
  const norm = g.op('Sqrt', [g.op('ReduceSumSquare', [stacked], { keepdims: { int: 0 } })]); // []
  io.output('grad_norm', norm, []);
  const coef = options.clipNorm === null ? null : g.op('Min', [c(1, 'one'), g.op('Div', [c(options.clipNorm, 'max_norm'), g.op('Add', [norm, c(1e-6, 'clip_eps')])])]);
  names.forEach((n, i) => {
    const shape = options.shapes.get(n)!;
    const grad = coef === null ? grads[i] : g.op('Mul', [grads[i], coef]);
    const p0 = io.param(`param.${n}`, shape);
    const p = options.decayed.has(n) ? g.op('Mul', [p0, decay]) : p0;
    const m = g.op('Add', [g.op('Mul', [io.param(`m.${n}`, shape), c(options.beta1, 'beta1')]), g.op('Mul', [grad, c(1 - options.beta1, 'one_minus_beta1')])]);
    const v = g.op('Add', [g.op('Mul', [io.param(`v.${n}`, shape), c(options.beta2, 'beta2')]), g.op('Mul', [g.op('Mul', [grad, grad]), c(1 - options.beta2, 'one_minus_beta2')])]);
    const denom = g.op('Add', [g.op('Div', [g.op('Sqrt', [v]), bc2Sqrt]), c(options.eps, 'eps')]);
    io.output(`new_param.${n}`, g.op('Sub', [p, g.op('Mul', [g.op('Div', [m, denom]), stepSize])]), shape);
    io.output(`new_m.${n}`, m, shape);
    io.output(`new_v.${n}`, v, shape);
  });
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'bertkit',
    producerVersion: '0.1.0',
    docString: 'global-norm clipping and AdamW (torch.optim.AdamW), built by @bertkit/onnx',
    graph: { name: 'adamw_step', node: g.nodes, initializer: g.initializers, input: io.inputs, output: io.outputs },
  };
  return encodeModel(model);
}
