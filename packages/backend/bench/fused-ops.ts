// pnpm bench:fused: each fused op at the shapes of one tiny BERT forward (batch 8 × seq 128, hidden 128, 2 heads,
// intermediate 512) against the same computation as plain tfjs ops, on WebGPU: median wall time of 5 runs after
// a warm-up, each run ending in a read-back. Not a test: prints numbers, asserts nothing.
import * as tf from '@tensorflow/tfjs-core';
import { addLayerNorm, attentionReference, fusedLinear, fusedSelfAttention, initBackend, layerNormReference, linear } from '@bertkit/backend';

async function median(f: () => tf.Tensor): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const y = f();
    await y.data();
    y.dispose();
    if (i > 0) ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[2];
}

const [B, T, H, A, I] = [8, 128, 128, 2, 512];
const D = H / A;
await initBackend({ backend: 'webgpu' });
const r = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 0.1, 'float32', seed);
const x = r([B, T, H], 1);
const wqkv = [r([H, H], 2), r([H, H], 3), r([H, H], 4)] as tf.Tensor2D[];
const bqkv = [r([H], 5), r([H], 6), r([H], 7)] as tf.Tensor1D[];
const w1 = r([H, I], 8) as tf.Tensor2D;
const b1 = r([I], 9) as tf.Tensor1D;
const w2 = r([I, H], 10) as tf.Tensor2D;
const inter = r([B, T, I], 11);
const g = tf.ones([H]) as tf.Tensor1D;
const be = tf.zeros([H]) as tf.Tensor1D;
const mask = tf.zeros([B, 1, 1, T]) as tf.Tensor4D;
const qkv = r([B, T, 3 * H], 12) as tf.Tensor3D;
const rows: Array<[string, () => tf.Tensor, () => tf.Tensor]> = [
  ['QKV projection [1024,128]x[128,384]', () => fusedLinear(x, wqkv, bqkv), () => linear(x, tf.concat(wqkv, 1) as tf.Tensor2D, tf.concat(bqkv) as tf.Tensor1D)],
  ['intermediate [1024,128]x[128,512] + gelu', () => fusedLinear(x, w1, b1, { activation: 'gelu' }), () => tf.tidy(() => {
    const z = linear(x, w1, b1);
    return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2)))));
  })],
  ['output [1024,512]x[512,128]', () => fusedLinear(inter, w2, g), () => linear(inter, w2, g)],
  ['add + LayerNorm [1024,128]', () => addLayerNorm(x, x, g, be, 1e-12), () => tf.tidy(() => layerNormReference(tf.add(x, x), g, be, 1e-12))],
  ['self-attention B 8, A 2, T 128, D 64', () => fusedSelfAttention(qkv, mask, A, 1 / Math.sqrt(D)), () => tf.tidy(() => {
    const [q, k, v] = tf.split(qkv, 3, 2).map((t) => tf.transpose(tf.reshape(t, [B, T, A, D]), [0, 2, 1, 3]) as tf.Tensor4D);
    return tf.reshape(tf.transpose(attentionReference(q, k, v, mask, 1 / Math.sqrt(D)).context, [0, 2, 1, 3]), [B, T, H]);
  })],
];
console.log('op | fused ms | tfjs ops ms');
for (const [name, fused, plain] of rows) console.log(`${name} | ${(await median(fused)).toFixed(1)} | ${(await median(plain)).toFixed(1)}`);
process.exit(0);
