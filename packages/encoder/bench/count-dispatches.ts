// pnpm bench:dispatches: the WebGPU work of one tiny BertModel forward (preset `tiny`: 2 layers, hidden 128,
// 2 heads, intermediate 512) at batch 8 × seq 128 with padding, counted from outside the program (Dawn's
// dispatchWorkgroups / submit / mapAsync, see @bertkit/test-utils/gpu-calls), and its median wall time over 5
// runs after one warm-up. The outputs (sequence and pooled) are read back with `await data()`. Not a test: prints
// numbers, asserts nothing. Needs Dawn (the optional `webgpu` package) and an adapter (llvmpipe will do).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, Rng } from '@bertkit/backend';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { BertModel, presets, type BertInputs } from '../src/index.js';

const B = 8;
const T = 128;

async function forward(model: BertModel, x: BertInputs): Promise<void> {
  const out = model.forward(x);
  await Promise.all([out.sequenceOutput.data(), out.pooledOutput!.data()]);
  tf.dispose([out.sequenceOutput, out.pooledOutput!]);
}

async function main(): Promise<void> {
  const choice = await initBackend({ backend: 'webgpu' });
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length} cores, Node ${process.version}`);
  console.log(`adapter: ${JSON.stringify(choice.adapterInfo)}`);
  const model = new BertModel(presets.tiny, { rng: new Rng(7) });
  const ids = Array.from({ length: B * T }, (_, i) => (i * 7919) % presets.tiny.vocabSize);
  // row b keeps its first T - 8·b tokens: padding on every row but the first
  const mask = Array.from({ length: B * T }, (_, i) => (i % T < T - 8 * Math.floor(i / T) ? 1 : 0));
  const types = Array.from({ length: B * T }, (_, i) => (i % T < T / 2 ? 0 : 1));
  const x: BertInputs = {
    inputIds: tf.tensor2d(ids, [B, T], 'int32'),
    tokenTypeIds: tf.tensor2d(types, [B, T], 'int32'),
    attentionMask: tf.tensor2d(mask, [B, T], 'int32'),
  };
  await forward(model, x); // warm-up: compiles every pipeline
  const counter = countGpuCalls();
  await forward(model, x);
  const calls = counter.read();
  counter.stop();
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await forward(model, x);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`tiny forward B ${B} × T ${T}: ${calls.dispatches} dispatches, ${calls.submits} submits, ${calls.mapAsyncs} read-backs (mapAsync)`);
  console.log(`median of 5: ${ms[2].toFixed(1)} ms (runs: ${ms.map((m) => m.toFixed(1)).join(', ')})`);
  tf.dispose(Object.values(x));
  model.dispose();
}

await main();
