// runBench: the engine of `bert bench`. Initialises the backend, builds a model with random weights from a seeded
// Rng (a preset, or a model directory's config.json), runs `warmup + steps` steps of one task and reports the
// median step time, throughput, kernels per step and, on WebGPU, dispatches and read-backs per step.
import type { BackendName } from '@bertkit/backend';
import { chooseBackend } from './backend-info.js';
import { parseConfig, parseJsonFile, presets, type BertConfig } from '@bertkit/encoder';
import * as tf from '@tensorflow/tfjs-core';
import { resolveBenchOptions, type BenchEngine, type BenchOptions, type BenchTask, type ResolvedBenchOptions } from './options.js';
import { StepClock, median } from './step-clock.js';
import { runFinetune, runForward, runTrain, type TaskRun } from './tasks.js';
import { ortThreadsText } from '@bertkit/onnx';

export interface BenchResult {
  /** The preset name, or the model directory. */
  preset: string;
  task: BenchTask;
  /** tfjs (the backend below runs the steps) or ort (ONNX Runtime; the backend only holds the initial weights). */
  engine: BenchEngine;
  backend: BackendName;
  /** What runs the kernels: the WebGPU adapter, `wasm simd` (+ threads), `js`. */
  adapter: string;
  batch: number;
  seq: number;
  /** Timed steps (after `warmup` untimed ones). */
  steps: number;
  warmup: number;
  ms_per_step_median: number;
  ms_per_step_min: number;
  ms_per_step_max: number;
  /** Every timed step, in order. */
  ms_per_step: number[];
  /** batch × seq / median step time. */
  tokens_per_s: number;
  /** tfjs kernels launched per step (median): every op and gradient op, on every backend. */
  kernels_per_step: number;
  /**
   * WebGPU only: where the host's time goes (medians): inside `queue.submit`, and waiting on `mapAsync`; the rest
   * of the step is JavaScript recording the work (tfjs and bertkit) and Dawn's encoding.
   */
  submit_ms_per_step?: number;
  readback_wait_ms_per_step?: number;
  /** Present (true) when the train step ran with activation checkpointing. */
  checkpoint_layers?: boolean;
  /** WebGPU only: compute dispatches per step (median). */
  dispatches_per_step?: number;
  /** WebGPU only: buffer read-backs (`mapAsync`) per step (median). */
  readbacks_per_step?: number;
  /** WebGPU only: queue submits per step (median). */
  submits_per_step?: number;
  /** WebGPU only: compute pipelines created during the timed steps (0 once every shader is cached). */
  pipelines_created?: number;
  /** Peak resident memory of the process so far (MB), or null outside Node. */
  peak_rss_mb: number | null;
  /** wasm only: the size of the wasm heap after the run (it only grows, so this is its peak). */
  wasm_heap_mb?: number;
  /** Trainable parameters. */
  params: number;
  /** Loss of the last step (train, finetune). */
  loss?: number;
  /** Where it ran: Node version, CPU model × logical cores (or the browser's user agent). */
  machine: string;
}

async function resolveConfig(o: ResolvedBenchOptions): Promise<BertConfig> {
  let config: BertConfig;
  if (o.preset !== null) {
    config = presets[o.preset];
  } else {
    const { readFile } = await import('node:fs/promises');
    const path = `${o.modelDir}/config.json`;
    config = parseConfig(parseJsonFile(await readFile(path, 'utf8'), path), path);
  }
  return { ...config, maxPositionEmbeddings: Math.max(config.maxPositionEmbeddings, o.seq) };
}

/** Runs one benchmark. Leaves the chosen backend as tfjs's current one and every tensor it made disposed. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const o = resolveBenchOptions(options);
  const config = await resolveConfig(o);
  const choice = await chooseBackend(o.backend, o.wasmThreads);
  const clock = new StepClock();
  const run: TaskRun = {
    config, batch: o.batch, seq: o.seq, total: o.warmup + o.steps, seed: o.seed, clock, checkpointLayers: o.checkpointLayers,
    engine: o.engine, ...(o.threads === undefined ? {} : { threads: o.threads }),
  };
  let outcome;
  try {
    outcome = await (o.task === 'forward' ? runForward(run) : o.task === 'train' ? runTrain(run) : runFinetune(run));
  } finally {
    clock.dispose();
  }
  const timed = clock.samples.slice(o.warmup, o.warmup + o.steps);
  const ms = timed.map((s) => s.ms);
  const med = median(ms);
  const result: BenchResult = {
    preset: o.preset ?? (o.modelDir as string),
    task: o.task,
    engine: o.engine,
    backend: choice.backend,
    adapter: o.engine === 'ort' ? `onnxruntime-node (CPU), ${ortThreadsText(o.threads)}` : choice.adapter,
    batch: o.batch,
    seq: o.seq,
    steps: timed.length,
    warmup: o.warmup,
    ms_per_step_median: med,
    ms_per_step_min: Math.min(...ms),
    ms_per_step_max: Math.max(...ms),
    ms_per_step: ms,
    tokens_per_s: (o.batch * o.seq) / (med / 1000),
    kernels_per_step: median(timed.map((s) => s.kernels)),
    peak_rss_mb: peakRssMb(),
    params: outcome.params,
    machine: await machine(),
  };
  if (timed.every((s) => s.gpu !== null)) {
    result.dispatches_per_step = median(timed.map((s) => s.gpu!.dispatches));
    result.readbacks_per_step = median(timed.map((s) => s.gpu!.readbacks));
    result.submits_per_step = median(timed.map((s) => s.gpu!.submits));
    result.pipelines_created = timed.reduce((n, s) => n + s.gpu!.pipelines, 0);
    result.submit_ms_per_step = median(timed.map((s) => s.gpu!.submitMs));
    result.readback_wait_ms_per_step = median(timed.map((s) => s.gpu!.readbackWaitMs));
  }
  const heap = wasmHeapBytes();
  if (heap !== null) result.wasm_heap_mb = Math.round(heap / 2 ** 20);
  if (outcome.loss !== undefined) result.loss = outcome.loss;
  if (o.checkpointLayers && o.task === 'train') result.checkpoint_layers = true;
  return result;
}

type NodeProcess = { resourceUsage?: () => { maxRSS: number }; version: string };

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess & { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' ? p : undefined;
}

function peakRssMb(): number | null {
  const usage = nodeProcess()?.resourceUsage?.();
  return usage === undefined ? null : Math.round(usage.maxRSS / 1024); // maxRSS is in KiB
}

function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap === undefined ? null : heap.buffer.byteLength;
}

async function machine(): Promise<string> {
  const p = nodeProcess();
  if (p === undefined) {
    const nav = (globalThis as { navigator?: { userAgent?: string; hardwareConcurrency?: number } }).navigator;
    return `${nav?.userAgent ?? 'unknown'}, ${nav?.hardwareConcurrency ?? '?'} cores`;
  }
  const os = await import('node:os');
  const cpus = os.cpus();
  return `Node ${p.version}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}`;
}
