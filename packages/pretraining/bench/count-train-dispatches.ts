// `pnpm --filter @bertkit/pretraining bench:dispatches`: the WebGPU work of one tiny pre-training step through
// @bertkit/training's `train()` (preset `tiny`: 2 layers × 128; MLM + NSP; AdamW; global-norm clipping 1.0;
// dropout as the preset, 0.1) at batch 32 × 128 with 15 % of positions predicted (19 per row), counted from
// outside the program (Dawn's dispatchWorkgroups / submit / mapAsync, see @bertkit/test-utils/gpu-calls). The
// counted call runs one step and logs it (the step event's loss, metrics and grad norm are read back), so the
// read-backs include the log. Also prints the median wall time of 3 such steps. Not a test: asserts nothing.
// Needs Dawn (the optional `webgpu` package) and an adapter (llvmpipe will do). Env: BENCH_LOG_EVERY (steps per
// counted call, logging once at its end; default 1), BENCH_TIMED (timed steps, default 3), BENCH_BATCH (default 32),
// BENCH_PROFILE=1 (also prints the counted step's dispatches by program, from the backend's runWebGPUProgram).
import { Rng, initBackend, registerGradients } from '@bertkit/backend';
import { presets } from '@bertkit/encoder';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import { AdamW, constantSchedule, train } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { cpus } from 'node:os';
import { collateInstances, type PretrainingBatch } from '../src/data-batch.js';
import type { TrainingInstance } from '../src/instances.js';
import { BertForPreTraining } from '../src/pretraining-model.js';

const B = Number(process.env.BENCH_BATCH ?? 32);
const T = 128;
const P = Math.round(0.15 * T); // 19
const LOG_EVERY = Number(process.env.BENCH_LOG_EVERY ?? 1);
const TIMED = Number(process.env.BENCH_TIMED ?? 3);

function batch(rng: Rng): PretrainingBatch {
  const rows: TrainingInstance[] = [];
  for (let b = 0; b < B; b++) {
    const ids = Int32Array.from({ length: T }, (_, i) => (i === 0 ? 101 : i === T - 1 ? 102 : 1000 + rng.int(29000)));
    const positions = rng.shuffle(Array.from({ length: T - 2 }, (_, i) => i + 1)).slice(0, P).sort((x, y) => x - y);
    rows.push({ inputIds: ids, segmentBStart: T >> 1, nspLabel: rng.int(2), maskedPositions: Int32Array.from(positions), maskedLabels: Int32Array.from(positions.map((p) => ids[p])) });
  }
  return collateInstances(rows, T, P);
}

async function main(): Promise<void> {
  const choice = await initBackend({ backend: 'webgpu' });
  registerGradients();
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length} cores, Node ${process.version}; adapter ${JSON.stringify(choice.adapterInfo)}`);
  const rng = new Rng(1);
  const model = BertForPreTraining.create({ ...presets.tiny, maxPositionEmbeddings: 512 }, { rng });
  const { params, lossFn } = model.asTask();
  const optimizer = new AdamW();
  const data = batch(rng);
  let step = 0;
  const run = async (steps: number) => {
    const r = await train({ params, lossFn, data: Array.from({ length: steps }, () => data), optimizer, schedule: constantSchedule(1e-4), steps: step + steps, startStep: step, logEvery: steps, rng });
    step = r.step;
    return r;
  };
  await run(1); // warm-up: compiles every pipeline
  const byProgram = new Map<string, number>();
  const backend = tf.backend() as unknown as { runWebGPUProgram: (p: object, ...rest: unknown[]) => unknown };
  const original = backend.runWebGPUProgram;
  if (process.env.BENCH_PROFILE === '1') {
    backend.runWebGPUProgram = function (this: unknown, p: object, ...rest: unknown[]) {
      const op = (p as { op?: unknown }).op;
      const name = p.constructor.name + (typeof op === "number" || typeof op === "string" ? `:${op}` : "");
      byProgram.set(name, (byProgram.get(name) ?? 0) + 1);
      return original.call(this, p, ...rest);
    };
  }
  const counter = countGpuCalls();
  await run(LOG_EVERY);
  const calls = counter.read();
  counter.stop();
  backend.runWebGPUProgram = original;
  if (byProgram.size > 0) console.log([...byProgram].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '));
  const ms: number[] = [];
  for (let i = 0; i < TIMED; i++) {
    const t0 = performance.now();
    const r = await run(1);
    ms.push(performance.now() - t0);
    if (i === TIMED - 1) console.log(`loss after ${r.step} steps: ${r.losses.at(-1)}`);
  }
  ms.sort((a, b) => a - b);
  const per = (x: number) => (x / LOG_EVERY).toFixed(1);
  console.log(`tiny pre-training step B ${B} × T ${T}, ${P} predictions/row, ${LOG_EVERY} step(s) per logged call: ${per(calls.dispatches)} dispatches, ${per(calls.submits)} submits, ${per(calls.mapAsyncs)} read-backs (mapAsync) per step`);
  if (TIMED > 0) console.log(`median of ${TIMED} single logged steps: ${ms[TIMED >> 1].toFixed(0)} ms (runs: ${ms.map((m) => m.toFixed(0)).join(', ')})`);
  optimizer.dispose();
  model.dispose();
}

await main();
