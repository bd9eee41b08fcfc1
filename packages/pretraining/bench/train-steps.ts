// `pnpm --filter @bertkit/pretraining bench`: pre-training steps/s and tokens/s (forward + backward + AdamW, MLM +
// NSP, dropout on) for the tiny and mini presets at batch 32 × 128 with 20 predictions per row, on each backend
// that initialises here (cpu, wasm, webgpu). Prints the machine and each backend's speed relative to cpu measured
// in the same run. Env: BENCH_BATCH, BENCH_SEQ, BENCH_STEPS, BENCH_MICRO, BENCH_PRESETS, BENCH_BACKENDS.
import { Rng, initBackend, type BackendName } from '@bertkit/backend';
import { presets, type PresetName } from '@bertkit/encoder';
import { AdamW, GradAccumulator } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { cpus } from 'node:os';
import { collateInstances, type PretrainingBatch } from '../src/data-batch.js';
import type { TrainingInstance } from '../src/instances.js';
import { BertForPreTraining } from '../src/pretraining-model.js';

const B = Number(process.env.BENCH_BATCH ?? 32);
const T = Number(process.env.BENCH_SEQ ?? 128);
const P = 20;
const STEPS = Number(process.env.BENCH_STEPS ?? 3);
/** Micro-batch size: a step accumulates B / MICRO micro-batches (mini at 32 × 128 exceeds the wasm heap in one). */
const MICRO = Number(process.env.BENCH_MICRO ?? B);
const PRESETS = (process.env.BENCH_PRESETS ?? 'tiny,mini').split(',') as PresetName[];
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'cpu,wasm,webgpu').split(',') as BackendName[];

function batch(rng: Rng): PretrainingBatch {
  const rows: TrainingInstance[] = [];
  for (let b = 0; b < MICRO; b++) {
    const ids = Int32Array.from({ length: T }, (_, i) => (i === 0 ? 101 : i === T - 1 ? 102 : 1000 + rng.int(29000)));
    const positions = rng.shuffle(Array.from({ length: T - 2 }, (_, i) => i + 1)).slice(0, P).sort((x, y) => x - y);
    rows.push({ inputIds: ids, segmentBStart: T >> 1, nspLabel: rng.int(2), maskedPositions: Int32Array.from(positions), maskedLabels: Int32Array.from(positions.map((p) => ids[p])) });
  }
  return collateInstances(rows, T, P);
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length} cores, Node ${process.version}; batch ${B} × ${T} (micro-batches of ${MICRO}), ${P} predictions/row, ${STEPS} timed steps after 1 warm-up`);
  const results: Record<string, number> = {};
  for (const backend of BACKENDS) {
    try {
      await initBackend({ backend });
    } catch (e) {
      console.log(`${backend}: unavailable (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    for (const name of PRESETS) {
      const rng = new Rng(1);
      const model = BertForPreTraining.create({ ...presets[name], maxPositionEmbeddings: Math.max(512, T) }, { rng });
      const { params, lossFn } = model.asTask();
      const opt = new AdamW();
      const micro = Array.from({ length: Math.max(1, Math.round(B / MICRO)) }, () => batch(rng));
      const acc = new GradAccumulator();
      const step = async () => {
        let loss = 0;
        for (const data of micro) {
          const { value, grads } = tf.variableGrads(() => lossFn(data, { training: true, step: 0, rng }).loss, [...params.values()]);
          const named = new Map([...params].map(([k, v]) => [k, grads[v.name]] as const).filter(([, g]) => g != null));
          acc.add(named);
          loss += (await value.data())[0] / micro.length; // never dataSync(): GPU tensors read asynchronously
          tf.dispose([value, ...Object.values(grads)]);
        }
        const g = acc.take();
        opt.step(params, g, 1e-4);
        tf.dispose([...g.values()]);
        await [...params.values()][0].data(); // wait for the GPU to finish the step
        return loss;
      };
      await step();
      const t0 = performance.now();
      for (let i = 0; i < STEPS; i++) await step();
      const sec = (performance.now() - t0) / 1000 / STEPS;
      results[`${backend}/${name}`] = sec;
      const vsCpu = results[`cpu/${name}`] ? ` (${(results[`cpu/${name}`] / sec).toFixed(2)}× cpu)` : '';
      console.log(`${backend} ${name}: ${(1 / sec).toFixed(3)} steps/s, ${((B * T) / sec).toFixed(0)} tokens/s, ${sec.toFixed(2)} s/step${vsCpu}`);
      opt.dispose();
      model.dispose();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
