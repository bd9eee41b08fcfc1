import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runFineTuneCli, type FineTuneCliOptions } from './commands/finetune.js';
import { lastProgressLines, startFineTuneWorker } from './finetune-parallel.js';
import { capture, tempDir } from './test-io.js';

const script = new URL('../dist/finetune-worker.js', import.meta.url);
const vocab = fileURLToPath(new URL('../../../models/english', import.meta.url));
const root = tempDir('bert-finetune-worker-');
const options = (out: string): FineTuneCliOptions => ({
  task: 'brown-pos', out: join(root, out), model: null, shape: { preset: 'tiny', layers: 1, hidden: 32, heads: 2, intermediate: 37 }, vocab,
  lrs: [1e-3], batchSize: 4, epochs: 1, maxSteps: 3, maxTrain: 12, maxDev: 16, maxSeqLength: 32, seed: 5, resume: false, checkpointEvery: 0,
  tagset: 'universal', backend: 'wasm',
});

describe('lastProgressLines', () => {
  it('keeps the last line of each run of progress-bar lines and every other line', () => {
    const log = ['features', 'ft ░░░░░░ 1/3', 'ft ██░░░░ 2/3', 'ft ██████ 3/3', 'ft: accuracy 0.9', 'ft2 ░░░░░░ 1/2', 'ft2 ██████ 2/2', ''].join('\n');
    expect(lastProgressLines(log)).toBe(['features', 'ft ██████ 3/3', 'ft: accuracy 0.9', 'ft2 ██████ 2/2', ''].join('\n'));
  });
});

describe.skipIf(!existsSync(fileURLToPath(script)) && 'dist/finetune-worker.js not built (pnpm build): worker test skipped')('startFineTuneWorker', () => {
  it('runs a fine-tuning in a worker thread to exactly the in-process result, and returns what it printed', async () => {
    const worker = startFineTuneWorker(options('worker'), script);
    expect(worker).not.toBeNull(); // this machine has ≥ 2 cores (CI too)
    const local = await runFineTuneCli(options('local'), capture().io);
    const { result, log } = await worker!.done;
    expect(result.runs.map((r) => r.scores)).toEqual(local.runs.map((r) => r.scores));
    expect(result.baseline).toEqual(local.baseline);
    expect(result.best.dir.startsWith(join(root, 'worker'))).toBe(true);
    expect(log).toMatch(/brown-pos: 12 train \/ 16 dev features/);
    expect(log).toMatch(/brown-pos lr 0\.001: accuracy 0\.\d{4} \(3 steps/);
  });

  it('runs the ort engine in a worker thread too, to the in-process ort result', async (ctx) => {
    const ort = { ...options('worker-ort'), engine: 'ort' as const, threads: 1 };
    const worker = startFineTuneWorker(ort, script);
    const local = await runFineTuneCli({ ...ort, out: join(root, 'local-ort') }, capture().io).catch((e: Error) => e);
    if (local instanceof Error && /onnxruntime-node/.test(local.message)) {
      await worker?.cancel();
      return ctx.skip();
    }
    const { result, log } = await worker!.done;
    expect(result.runs.map((r) => r.scores)).toEqual((local as Awaited<ReturnType<typeof runFineTuneCli>>).runs.map((r) => r.scores));
    expect(log).toMatch(/engine: ort \(onnxruntime-node, 1 thread\) for the training steps/);
  });

  it('reports the worker\'s error by name and message', async () => {
    const worker = startFineTuneWorker({ ...options('bad'), task: 'no-such-task' }, script);
    await expect(worker!.done).rejects.toThrow(/fine-tuning in a worker: .*no-such-task/);
  });

  it('returns null (run in-process) without a built worker script or off a CPU backend', () => {
    expect(startFineTuneWorker(options('x'), new URL('file:///nonexistent/finetune-worker.js'))).toBeNull();
    expect(startFineTuneWorker({ ...options('x'), backend: 'webgpu' }, script)).toBeNull();
  });
});
