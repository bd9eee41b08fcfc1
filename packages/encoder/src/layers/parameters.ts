// Parameter bookkeeping shared by the layers: how a weight is initialised (google-research/bert `modeling.py`
// `create_initializer`: truncated normal with std `initializer_range`; biases 0; LayerNorm gamma 1, beta 0) and
// how each module lists its tensors under the names HF's PyTorch modules give them.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@bertkit/backend';

/** One trainable tensor. `transposed`: stored [in, out] here but [out, in] in HF checkpoints (nn.Linear). */
export interface Param {
  variable: tf.Variable;
  transposed: boolean;
}

/** A module's parameters, in a fixed order, keyed by their HF name relative to the module. */
export type NamedParams = Array<[string, Param]>;

/**
 * How weights are initialised: `truncated-normal` draws from the given RNG (the paper's init), `zeros` only
 * allocates (for models whose weights are about to be loaded from a checkpoint).
 */
export type Init = { kind: 'truncated-normal'; rng: Rng; std: number } | { kind: 'zeros' };

/** A weight matrix or embedding table: truncated normal (re-drawn beyond 2 std, as TF's) or zeros. */
export function weightVariable(shape: number[], init: Init): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  if (init.kind === 'truncated-normal') fillTruncatedNormal(init.rng, data, init.std);
  return toVariable(tf.tensor(data, shape, 'float32'));
}

/** A variable holding `initial`'s values; `initial` itself is disposed (the variable keeps its own reference). */
function toVariable(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial, true);
  initial.dispose();
  return v;
}

/**
 * Fills `out` with N(0, std²) values re-drawn outside ±2 std (TF's `truncated_normal`), the same distribution as
 * `Rng.truncatedNormal` but using both Box–Muller outputs and 32-bit uniforms (ample for float32): BERT-Base's
 * 110 M draws take a few seconds instead of tens.
 */
export function fillTruncatedNormal(rng: Rng, out: Float32Array, std: number): void {
  const n = out.length;
  let i = 0;
  while (i < n) {
    const u1 = (rng.nextUint32() + 0.5) * 2 ** -32; // (0, 1): log is finite
    const u2 = rng.nextUint32() * 2 ** -32;
    const r = Math.sqrt(-2 * Math.log(u1));
    const z0 = r * Math.cos(2 * Math.PI * u2);
    const z1 = r * Math.sin(2 * Math.PI * u2);
    if (z0 >= -2 && z0 <= 2) out[i++] = z0 * std;
    if (i < n && z1 >= -2 && z1 <= 2) out[i++] = z1 * std;
  }
}

/** A constant-filled vector (biases 0, LayerNorm gamma 1). */
export function constantVariable(shape: number[], value: number): tf.Variable {
  return toVariable(tf.fill(shape, value, 'float32'));
}

/** Prefixes a child's parameter names (`dense` + `weight` → `dense.weight`). */
export function prefixed(prefix: string, params: NamedParams): NamedParams {
  return params.map(([name, p]) => [`${prefix}.${name}`, p]);
}

export function disposeParams(params: NamedParams): void {
  for (const [, p] of params) p.variable.dispose();
}
