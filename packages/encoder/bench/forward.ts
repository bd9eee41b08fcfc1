// pnpm bench: BertModel forward throughput (sequences/s) at batch 8 × seq 128 for the compact and Base presets
// on every backend that initialises here, and the fraction of that backend's matmul peak it reaches (peak measured
// in the same run with a 2048³ product, 1024³ on cpu). Not a test: prints numbers and the machine, asserts nothing.
// Options: --backends cpu,wasm,webgpu  --presets tiny,mini,small,base  --seconds 10 (time budget per cell)
// --max-seconds 60 (skip a model whose single batch the measured peak says would take longer).
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@bertkit/backend';
import { BertModel, countParameters, presets, type PresetName } from '../src/index.js';

const B = 8;
const T = 128;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Median wall time (ms) of `f` after one warm-up run, repeating until `budgetMs` or 5 runs. */
async function time(f: () => tf.Tensor[], budgetMs: number): Promise<{ ms: number; runs: number }> {
  const ms: number[] = [];
  const start = performance.now();
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const out = f();
    await Promise.all(out.map((t) => t.data()));
    tf.dispose(out);
    if (i > 0) ms.push(performance.now() - t0);
    if (i > 0 && performance.now() - start > budgetMs) break;
  }
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)], runs: ms.length };
}

/** Multiply-adds ×2 of one forward pass: Q/K/V/output and FFN products, plus scores and context. */
function forwardFlops(name: PresetName): number {
  const c = presets[name];
  const h = c.hiddenSize;
  const perLayer = 2 * B * T * (4 * h * h + 2 * h * c.intermediateSize) + 2 * 2 * B * T * T * h;
  return c.numHiddenLayers * perLayer + 2 * B * h * h;
}

async function main(): Promise<void> {
  const backends = arg('backends', 'cpu,wasm,webgpu').split(',') as BackendName[];
  const names = arg('presets', 'tiny,mini,small,base').split(',') as PresetName[];
  const budgetMs = Number(arg('seconds', '10')) * 1000;
  const maxSeconds = Number(arg('max-seconds', '60'));
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length} cores, Node ${process.version}`);
  console.log(`BertModel forward, batch ${B} × seq ${T}, inference (no dropout), median after 1 warm-up`);
  console.log('backend | model | params | ms/batch | seq/s | GFLOP/s | % of matmul peak');
  for (const backend of backends) {
    try {
      const choice = await initBackend({ backend });
      if (choice.adapterInfo) console.log(`${backend} adapter: ${JSON.stringify(choice.adapterInfo)}`);
    } catch (e) {
      console.log(`${backend} | skipped: ${(e as Error).message}`);
      continue;
    }
    const n = backend === 'cpu' ? 1024 : backend === 'webgpu' ? 4096 : 2048; // cpu needs over a minute for 2048³; a GPU needs 4096³ to fill
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    const peak = await time(() => [tf.matMul(a, b)], budgetMs);
    tf.dispose([a, b]);
    const peakFlops = (2 * n ** 3) / (peak.ms / 1000);
    console.log(`${backend} | matmul ${n}³ (peak) | - | ${peak.ms.toFixed(1)} | - | ${(peakFlops / 1e9).toFixed(1)} | 100`);
    for (const name of names) {
      const estimateS = forwardFlops(name) / peakFlops;
      if (estimateS > maxSeconds) {
        console.log(`${backend} | ${name} | skipped: one batch would take ~${estimateS.toFixed(0)} s (--max-seconds ${maxSeconds})`);
        continue;
      }
      // Allocate with zeros, then fill every weight with normals drawn on the backend itself: drawing Base's
      // 110 M truncated normals in JS would dominate the run, and timing on zeros can flatter a GPU.
      const model = new BertModel(presets[name], { init: 'zeros' });
      let seed = 0;
      for (const v of model.parameters().values()) {
        tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.02, 'float32', ++seed)));
      }
      const ids = tf.tensor2d(Array.from({ length: B * T }, (_, i) => (i * 7919) % 30522), [B, T], 'int32');
      const r = await time(() => {
        const out = model.forward({ inputIds: ids });
        return [out.sequenceOutput, out.pooledOutput!];
      }, budgetMs);
      const flops = forwardFlops(name) / (r.ms / 1000);
      console.log(
        `${backend} | ${name} | ${(countParameters(presets[name]) / 1e6).toFixed(1)}M | ${r.ms.toFixed(1)} | ` +
          `${((B * 1000) / r.ms).toFixed(1)} | ${(flops / 1e9).toFixed(1)} | ${((100 * flops) / peakFlops).toFixed(0)}` +
          ` (${r.runs} runs)`,
      );
      ids.dispose();
      model.dispose();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
