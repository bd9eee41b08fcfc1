import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '@bertkit/backend';
import { benchJsonLine, formatBench } from './format.js';
import { BENCH_TASKS, BenchOptionsError, runBench, type BenchResult } from './index.js';

// Odd shapes (batch 3, seq 13) so that shape bugs show; 2 timed steps after 1 warm-up. No timing assertions.
const SHAPE = { preset: 'tiny', batch: 3, seq: 13, steps: 2, warmup: 1 } as const;

function checkSane(r: BenchResult, backend: BackendName, task: string): void {
  expect(r.backend).toBe(backend);
  expect(r.engine).toBe('tfjs');
  expect(r.task).toBe(task);
  expect([r.preset, r.batch, r.seq, r.steps, r.warmup]).toEqual(['tiny', 3, 13, 2, 1]);
  expect(r.ms_per_step).toHaveLength(2);
  expect(r.ms_per_step_median).toBeGreaterThan(0);
  expect(r.ms_per_step_min).toBeLessThanOrEqual(r.ms_per_step_median);
  expect(r.ms_per_step_max).toBeGreaterThanOrEqual(r.ms_per_step_median);
  expect(r.tokens_per_s).toBeCloseTo((3 * 13) / (r.ms_per_step_median / 1000), 6);
  expect(r.kernels_per_step).toBeGreaterThan(50);
  expect(r.peak_rss_mb).toBeGreaterThan(0);
  expect(r.params).toBeGreaterThan(4_000_000); // tiny: 4.4 M, most of it the 30522 × 128 word embeddings
  if (task === 'forward') expect(r.loss).toBeUndefined();
  else expect(Number.isFinite(r.loss)).toBe(true);
  const parsed = JSON.parse(benchJsonLine(r)) as Record<string, unknown>;
  for (const k of ['ms_per_step_median', 'tokens_per_s', 'backend', 'adapter', 'preset', 'task', 'batch', 'seq', 'steps', 'peak_rss_mb']) {
    expect(parsed[k], k).toBeDefined();
  }
  expect(formatBench(r)).toContain(`${task} tiny  batch 3 × seq 13  on ${backend}`);
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' }); // tf.memory() needs a backend before the first run
});

describe.each(['cpu', 'wasm'] as const)('runBench on %s', (backend) => {
  it.each(BENCH_TASKS)('%s returns sane fields and leaks no tensor', async (task) => {
    const before = tf.memory().numTensors; // counted over every backend
    const r = await runBench({ ...SHAPE, task, backend });
    checkSane(r, backend, task);
    expect(r.dispatches_per_step).toBeUndefined(); // GPU counters only on WebGPU
    if (backend === 'wasm') expect(r.wasm_heap_mb).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** runBench on WebGPU, or null where no adapter is granted (the test then skips). */
async function onWebGpu(task: 'forward' | 'train'): Promise<BenchResult | null> {
  try {
    return await runBench({ ...SHAPE, task, backend: 'webgpu' });
  } catch (e) {
    if ((e as Error).name === 'BackendError') return null;
    throw e;
  }
}

describe('runBench on webgpu (Dawn; skipped where no adapter is granted)', () => {
  it('counts dispatches and read-backs of a forward step', async (ctx) => {
    const r = await onWebGpu('forward');
    if (r === null) return ctx.skip();
    checkSane(r, 'webgpu', 'forward');
    expect(r.dispatches_per_step).toBeGreaterThan(0);
    expect(r.readbacks_per_step).toBeGreaterThanOrEqual(1); // the awaited read of the outputs
    expect(r.submits_per_step).toBeGreaterThan(0);
    expect(r.submit_ms_per_step).toBeGreaterThanOrEqual(0);
    expect(r.readback_wait_ms_per_step).toBeGreaterThan(0);
    // the counters are removed afterwards
    const pass = globalThis as unknown as { GPUComputePassEncoder?: { prototype: object } };
    if (pass.GPUComputePassEncoder) expect(Object.prototype.hasOwnProperty.call(pass.GPUComputePassEncoder.prototype, 'dispatchWorkgroups')).toBe(true);
  });

  it('a tiny pre-training step (MLM + NSP, dropout 0.1, clipping, AdamW) fits the issue budget: ≤ 120 dispatches, ≤ 1 read-back', async (ctx) => {
    const r = await onWebGpu('train');
    if (r === null) return ctx.skip();
    checkSane(r, 'webgpu', 'train');
    // 99 when measured: fused linear (3 backward), flash attention with in-kernel dropout (1 backward), fused
    // LayerNorm + dropout (embeddings too), cross-entropy and accuracy kernels, clipping in the sum of squares,
    // one AdamW dispatch
    expect(r.dispatches_per_step).toBeLessThanOrEqual(120);
    expect(r.readbacks_per_step).toBeLessThanOrEqual(1);
    const forward = await onWebGpu('forward');
    expect(forward!.dispatches_per_step).toBeLessThanOrEqual(24);
  });
});

/** Whether onnxruntime-node loads here (the ort tests skip otherwise). */
async function hasOrt(): Promise<boolean> {
  return import('onnxruntime-node').then(() => true, () => false);
}

describe('runBench with engine ort (skipped without onnxruntime-node)', () => {
  it('a pre-training step logs the tfjs engine\'s loss (same seed, dropout on) and runs no tfjs kernels', async (ctx) => {
    if (!(await hasOrt())) return ctx.skip();
    const before = tf.memory().numTensors;
    const ref = await runBench({ ...SHAPE, task: 'train', backend: 'cpu' });
    const r = await runBench({ ...SHAPE, task: 'train', backend: 'cpu', engine: 'ort', threads: 1 });
    expect(r.engine).toBe('ort');
    expect(r.adapter).toBe('onnxruntime-node (CPU), 1 thread');
    expect(Math.abs(r.loss! - ref.loss!)).toBeLessThan(1e-4);
    expect(r.kernels_per_step).toBeLessThan(5);
    expect(formatBench(r)).toContain('train tiny  batch 3 × seq 13  on ort (onnxruntime-node (CPU), 1 thread)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a forward runs the exported graph', async (ctx) => {
    if (!(await hasOrt())) return ctx.skip();
    const r = await runBench({ ...SHAPE, task: 'forward', backend: 'cpu', engine: 'ort' });
    expect(r.engine).toBe('ort');
    expect(r.ms_per_step).toHaveLength(2);
    expect(r.loss).toBeUndefined();
  });

  it('fine-tuning steps run @bertkit/heads\' ort engine: the tfjs engine\'s loss', async (ctx) => {
    if (!(await hasOrt())) return ctx.skip();
    const before = tf.memory().numTensors;
    const ref = await runBench({ ...SHAPE, task: 'finetune', backend: 'cpu' });
    const r = await runBench({ ...SHAPE, task: 'finetune', backend: 'cpu', engine: 'ort', threads: 1 });
    expect(r.engine).toBe('ort');
    expect(Math.abs(r.loss! - ref.loss!)).toBeLessThan(1e-4);
    expect(r.kernels_per_step).toBeLessThan(5);
    expect(formatBench(r)).toContain('finetune tiny  batch 3 × seq 13  on ort (onnxruntime-node (CPU), 1 thread)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is refused where it does not apply', async () => {
    await expect(runBench({ ...SHAPE, task: 'train', threads: 2 })).rejects.toThrow(/threads: expected engine ort \(ORT threads\), got engine tfjs/);
    await expect(runBench({ ...SHAPE, task: 'train', engine: 'ort', checkpointLayers: true })).rejects.toThrow(/checkpointLayers: expected false with engine ort/);
  });
});

describe('options', () => {
  it('names the field, the expected and the actual value', async () => {
    await expect(runBench({ preset: 'tiny', task: 'train', batch: 0, seq: 16 })).rejects.toThrow(
      new BenchOptionsError('batch', 'an integer >= 1', '0'),
    );
    await expect(runBench({ task: 'forward', batch: 1, seq: 16 })).rejects.toThrow(/preset\/modelDir: expected exactly one of them/);
    await expect(runBench({ preset: 'huge' as 'tiny', task: 'forward', batch: 1, seq: 16 })).rejects.toThrow(/preset: expected one of tiny, mini/);
    await expect(runBench({ preset: 'tiny', task: 'eval' as 'train', batch: 1, seq: 16 })).rejects.toThrow(/task: expected one of forward, train, finetune, got "eval"/);
  });

  it('reads a model directory config.json', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/bench-`);
    try {
      const config = { vocab_size: 99, hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 37, max_position_embeddings: 16 };
      await writeFile(`${dir}/config.json`, JSON.stringify(config));
      const r = await runBench({ modelDir: dir, task: 'train', batch: 2, seq: 24, steps: 1, warmup: 0, backend: 'cpu' });
      expect(r.preset).toBe(dir);
      expect(r.steps).toBe(1);
      expect(Number.isFinite(r.loss)).toBe(true);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
