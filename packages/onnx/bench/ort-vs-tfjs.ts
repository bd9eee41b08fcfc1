// pnpm --filter @bertkit/onnx bench: BERT-Base shape (H 768, 12 layers, 12 heads, I 3072, vocab 30522), random
// weights, batch 8 × 128, time per forward (median after one warm-up) of
//   - bertkit's tfjs forward on the wasm backend (XNNPACK),
//   - the graph exported by @bertkit/onnx in onnxruntime-node (CPU EP): the standard-op graph with ORT's
//     optimisations 'all' (ORT fuses attention / LayerNorm / GELU itself) and 'basic', and the contrib-op graph,
// all ORT sessions with intraOpNumThreads = --threads (default 2). Prints the CPU model and the max abs
// difference between engines. Not a test: prints numbers, asserts nothing. Options: --runs 3 --threads 2
// --engines tfjs,ort-all,ort-basic,ort-fused
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@bertkit/backend';
import { BertModel, presets, stateDict } from '@bertkit/encoder';
import { buildOnnxModel } from '../src/build-model.js';
import { createOrtEncoder } from '../src/ort-encoder.js';

const B = 8;
const T = 128;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Median wall time (ms) of `f` over `runs` runs after one warm-up; returns the last output too. */
async function time<T>(f: () => Promise<T>, runs: number): Promise<{ ms: number; all: number[]; out: T }> {
  let out = await f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    out = await f();
    ms.push(performance.now() - t0);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)], all: ms, out };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  const threads = Number(arg('threads', '2'));
  const engines = arg('engines', 'tfjs,ort-all,ort-basic,ort-fused').split(',');
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length} logical cores, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`BERT-Base shape, random weights, batch ${B} × seq ${T}, median of ${runs} after 1 warm-up`);

  await initBackend({ backend: 'wasm' });
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const config = presets.base;
  const model = new BertModel(config, { init: 'zeros' });
  let seed = 0;
  for (const v of model.parameters().values()) tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.02, 'float32', ++seed)));
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % config.vocabSize);
  const inputIds = tf.tensor2d(ids, [B, T], 'int32');
  const results: Array<{ engine: string; ms: number; all: number[]; out: Float32Array }> = [];

  if (engines.includes('tfjs')) {
    const r = await time(async () => {
      const y = model.forward({ inputIds });
      const data = (await y.sequenceOutput.data()) as Float32Array;
      tf.dispose([y.sequenceOutput, y.pooledOutput ?? []].flat());
      return data;
    }, runs);
    results.push({ engine: `tfjs wasm (simd ${simd}, multithread ${mt})`, ...r });
  }

  const tensors = await stateDict(model);
  for (const engine of engines.filter((e) => e.startsWith('ort-'))) {
    const optimize = engine === 'ort-fused';
    const level = engine === 'ort-basic' ? 'basic' : 'all';
    const bytes = buildOnnxModel(config, tensors, { head: 'base', optimize }).bytes;
    const ort = await createOrtEncoder(bytes, { threads, graphOptimizationLevel: level });
    const r = await time(async () => (await ort.run({ inputIds: ids }, [B, T])).last_hidden_state.data, runs);
    await ort.dispose();
    const what = optimize ? 'contrib-op graph (Attention, SkipLayerNorm, BiasGelu)' : `standard-op graph, ORT optimisation '${level}'`;
    results.push({ engine: `onnxruntime-node ${threads} threads, ${what}`, ...r });
  }

  const ref = results[0];
  console.log('engine | ms / forward (median) | runs (ms) | seq/s | × fastest ORT | max |Δ| vs first');
  const fastestOrt = Math.min(...results.filter((r) => r.engine.startsWith('onnx')).map((r) => r.ms));
  for (const r of results) {
    console.log(
      `${r.engine} | ${r.ms.toFixed(0)} | ${r.all.map((m) => m.toFixed(0)).join(', ')} | ${((B * 1000) / r.ms).toFixed(2)} | ` +
        `${(r.ms / fastestOrt).toFixed(2)} | ${maxAbsDiff(r.out, ref.out).toExponential(1)}`,
    );
  }
  inputIds.dispose();
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
