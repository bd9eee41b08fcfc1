import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@bertkit/backend';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import { makeTrainerState } from './checkpoint.js';
import {
  checkpointName,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  saveCheckpoint,
  variablesWriter,
} from './checkpoint-node.js';
import { MetricsWriter } from './metrics-writer.js';
import { toyParams } from '../test/toy-task.js';
import { runToy } from '../test/toy-run.js';

const root = mkdtempSync(join(tmpdir(), 'bertkit-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const run = (dir: string, steps: number, resume: boolean) => runToy({ dir, steps, resume });

describe('checkpoints on disk', () => {
  it('resume from disk after stopping at step 7 (last checkpoint 6) repeats the uninterrupted losses exactly', async () => {
    const full = await run(join(root, 'full'), 12, false);
    const dir = join(root, 'resumed');
    const part = await run(dir, 7, false); // the final checkpoint at 7 is removed below: as if killed after 7
    rmSync(join(dir, checkpointName(7)), { recursive: true });
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual([6]); // keepLast 2 kept 6, 7
    const rest = await run(dir, 12, true);
    expect(part.losses).toEqual(full.losses.slice(0, 7));
    expect(rest.losses).toEqual(full.losses.slice(6));
    expect(rest.dataPosition).toBe(24);
  });

  it('writes an HF-style directory atomically and keeps the last N', async () => {
    const dir = join(root, 'layout');
    const params = toyParams();
    const optimizer = new AdamW();
    const g = new Map([...params].map(([k, v]) => [k, tf.onesLike(v)]));
    optimizer.step(params, g, 0.01);
    for (const step of [1, 2, 3]) {
      await saveCheckpoint(dir, {
        state: makeTrainerState({ step, dataPosition: step * 2, rngState: new Rng(step).state() }),
        optimizer: await optimizer.getState(),
        writeModel: (d) => writeFileSync(join(d, 'config.json'), '{"model_type": "bert"}\n'),
        keepLast: 2,
      });
    }
    writeFileSync(join(dir, '.tmp-checkpoint-9-1'), 'debris of a killed writer');
    expect(readdirSync(dir).sort()).toEqual(['.tmp-checkpoint-9-1', checkpointName(2), checkpointName(3)]);
    const latest = (await latestCheckpoint(dir))!;
    expect(readdirSync(latest).sort()).toEqual(['config.json', 'optimizer.safetensors', 'trainer_state.json']);
    const ck = await loadCheckpoint(latest);
    expect(ck.state).toMatchObject({ format: 'bertkit-trainer-state', version: 1, step: 3, dataPosition: 6 });
    const saved = await optimizer.getState();
    expect(Object.keys(ck.optimizer.params).sort()).toEqual(Object.keys(saved.params).sort());
    for (const [name, p] of Object.entries(saved.params)) {
      expect(ck.optimizer.params[name].step).toBe(1);
      expect(Array.from(ck.optimizer.params[name].v.data)).toEqual(Array.from(p.v.data));
    }
    tf.dispose([...params.values(), ...g.values()]);
    optimizer.dispose();
  });

  it('reports a broken trainer_state.json with a typed error naming the field', async () => {
    const dir = join(root, 'broken');
    const params = toyParams();
    const opt = new AdamW();
    const path = await saveCheckpoint(dir, {
      state: makeTrainerState({ step: 1, dataPosition: 1, rngState: null }),
      optimizer: await opt.getState(),
      writeModel: variablesWriter(params),
    });
    writeFileSync(join(path, 'trainer_state.json'), JSON.stringify({ format: 'bertkit-trainer-state', version: 1, step: -1 }));
    await expect(loadCheckpoint(path)).rejects.toThrow(/step expected a non-negative integer, got -1/);
    writeFileSync(join(path, 'trainer_state.json'), '{"format": "bertkit-trai');
    await expect(loadCheckpoint(path)).rejects.toThrow(/expected a readable JSON file/);
    tf.dispose([...params.values()]);
  });
});

describe.skipIf(process.env.BERTKIT_SKIP_KILL_TEST === '1')('kill -9', () => {
  it('a child process killed with SIGKILL mid-run resumes to the uninterrupted losses, bit for bit', async () => {
    const full = await runToy({ dir: join(root, 'k-full'), steps: 30, resume: false, checkpointEvery: 1 });
    const dir = join(root, 'k-run');
    const childLosses = await runChildUntilKilled(dir, 30, 6);
    expect(childLosses.length).toBeGreaterThanOrEqual(6);
    expect(childLosses).toEqual(full.losses.slice(0, childLosses.length)); // same numbers in the child
    const last = (await listCheckpoints(dir)).at(-1)!.step;
    expect(last).toBeGreaterThanOrEqual(2); // the kill lands anywhere, possibly inside a checkpoint write
    const rest = await runToy({ dir, steps: 30, resume: true, checkpointEvery: 1 });
    expect(rest.losses).toEqual(full.losses.slice(last));
  });
});

/** Starts test/kill-child.ts under vite-node, SIGKILLs it once it has logged `killAfter` steps. */
async function runChildUntilKilled(dir: string, steps: number, killAfter: number): Promise<number[]> {
  const req = createRequire(import.meta.url);
  const viteNode = join(dirname(createRequire(req.resolve('vitest/package.json')).resolve('vite-node/package.json')), 'vite-node.mjs');
  const pkgDir = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, [viteNode, 'test/kill-child.ts', dir, String(steps)], { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const losses: number[] = [];
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  let buf = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buf += String(d);
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const m = /^step (\d+) (\S+)$/.exec(line);
        if (m) losses.push(Number(m[2]));
      }
      if (losses.length >= killAfter) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited (${code}) before the kill: ${err}`))));
  });
  return losses;
}

describe('MetricsWriter', () => {
  it('writes one JSON line per step event and drops lines past the resume step', () => {
    const path = join(root, 'm', 'metrics.jsonl');
    const w = new MetricsWriter(path);
    for (const step of [1, 2, 3]) {
      w.write({ type: 'step', step, totalSteps: 3, loss: step, lr: 0.1, gradNorm: 1, metrics: {}, dataPosition: step, stepsPerSec: 1, elapsedSec: 1, etaSec: 0 });
    }
    w.write({ type: 'done', step: 3, reason: 'steps', elapsedSec: 1, loss: 3 });
    w.close();
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2, 3]);
    new MetricsWriter(path, { resumeStep: 2 }).close();
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2]);
  });
});
