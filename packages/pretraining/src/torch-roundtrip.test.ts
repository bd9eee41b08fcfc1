// A bertkit checkpoint trained one step in PyTorch and brought back: bertkit writes a tiny BertForPreTraining,
// scripts/torch-continue.py (plain torch, HF module names) loads it, runs one AdamW step and writes
// model.safetensors back; bertkit loads the result. The logits of a fixed input must agree on both sides, before
// and after the step — the round trip docs/scale-out.md relies on to hand training to torch and come back.
// Needs a python3 with torch (Debian: python3-torch, installed by scripts/system-deps.sh as root); skips otherwise.
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig, readSafetensors, toFloat32 } from '@bertkit/encoder';
import { repoRoot } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertForPreTraining } from './pretraining-model.js';
import { fromHfInputs } from './pretraining-model-batch.js';
import { loadPretrainingModel, savePretrainingModel } from './pretraining-model-node.js';

const SCRIPT = join(repoRoot, 'scripts', 'torch-continue.py');

/** The first interpreter that imports torch: $BERTKIT_PYTHON, python3 on PATH, then Debian's /usr/bin/python3. */
function findTorchPython(): string | null {
  const candidates = [process.env.BERTKIT_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const py of new Set(candidates)) {
    if (spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0) return py;
  }
  return null;
}

const python = findTorchPython();
const skip = python === null ? '(skipped: no python3 with torch; apt-get install python3-torch, or set BERTKIT_PYTHON)' : '';
if (skip) console.warn(`torch-roundtrip ${skip}`);

// odd sizes so that a transposed or misnamed weight cannot go unnoticed (google-research/bert's test sizes)
const config = bertConfig({ vocabSize: 99, hiddenSize: 40, numHiddenLayers: 2, numAttentionHeads: 5, intermediateSize: 37 });
const PROBE = [1, 7, 3, 2, 9, 3, 2];
const PROBE_TYPES = [0, 0, 0, 0, 1, 1, 1];

interface TorchLogits {
  mlm: number[][]; // [T, V]
  nsp: number[] | null; // [2]
}
interface TorchResult {
  torch: string;
  losses: number[];
  before: TorchLogits;
  after: TorchLogits;
}

/** bertkit's MLM logits [T·V] at every probe position and NSP logits [2], eval mode. */
async function bertkitLogits(m: BertForPreTraining): Promise<{ mlm: Float32Array; nsp: Float32Array | null }> {
  const batch = fromHfInputs({ input_ids: [PROBE], token_type_ids: [PROBE_TYPES] });
  const { mlmLogits, nspLogits } = m.forwardAll(batch); // [1, T, V], [1, 2] (null without NSP)
  try {
    return { mlm: (await mlmLogits.data()) as Float32Array, nsp: nspLogits ? ((await nspLogits.data()) as Float32Array) : null };
  } finally {
    tf.dispose(nspLogits ? [mlmLogits, nspLogits] : [mlmLogits]);
  }
}

/** Both sides have NSP logits and they agree, or neither has them. */
function expectSameNsp(ours: Float32Array | null, theirs: number[] | null): void {
  expect(ours === null).toBe(theirs === null);
  if (ours && theirs) expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
}

function maxAbsDiff(got: ArrayLike<number>, want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  let d = 0;
  for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]));
  return d;
}

const weightsOf = (dir: string) => readSafetensors(new Uint8Array(readFileSync(join(dir, 'model.safetensors')))).tensors;

describe.skipIf(python === null)(`bertkit → PyTorch (one AdamW step) → bertkit ${skip}`, () => {
  let root = '';

  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    root = mkdtempSync(join(tmpdir(), 'bertkit-torch-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // mlm+nsp: BertForPreTraining with pooler and NSP head; mlm: BertForMaskedLM, no pooler
  it.each(['mlm+nsp', 'mlm'] as const)('%s: torch reads the checkpoint with the same logits, trains, and bertkit reads back its logits', async (objective) => {
    const dir = join(root, objective);
    const n0 = tf.memory().numTensors;
    const original = BertForPreTraining.create(config, { rng: new Rng(7), objective });
    await savePretrainingModel(dir, original);
    const ours = await bertkitLogits(original);
    original.dispose();
    const weightsBefore = weightsOf(dir);

    const args = [SCRIPT, dir, '--json', '--steps', '1', '--lr', '1e-3', '--seed', '0', '--probe', PROBE.join(','), '--probe-types', PROBE_TYPES.join(',')];
    const { stdout } = await promisify(execFile)(python!, args, { timeout: 120_000, maxBuffer: 16 << 20 });
    const torch = JSON.parse(stdout) as TorchResult;
    expect(torch.losses).toHaveLength(1);
    expect(Number.isFinite(torch.losses[0])).toBe(true);

    // (a) the original model: bertkit's logits = torch's "before" logits
    expect(maxAbsDiff(ours.mlm, torch.before.mlm.flat())).toBeLessThan(1e-5);
    expectSameNsp(ours.nsp, torch.before.nsp);

    // (b) the written-back model loads in bertkit (strict: same names and shapes) with torch's "after" logits
    const back = await loadPretrainingModel(dir);
    expect(back.objective).toBe(objective);
    const theirs = await bertkitLogits(back);
    back.dispose();
    expect(maxAbsDiff(theirs.mlm, torch.after.mlm.flat())).toBeLessThan(1e-5);
    expectSameNsp(theirs.nsp, torch.after.nsp);

    // (c) the step changed the weights, and the file keeps the names, shapes and dtypes bertkit wrote
    const weightsAfter = weightsOf(dir);
    expect([...weightsAfter.keys()].sort()).toEqual([...weightsBefore.keys()].sort());
    let changed = 0;
    for (const [name, before] of weightsBefore) {
      const after = weightsAfter.get(name)!;
      expect([after.dtype, after.shape], name).toEqual([before.dtype, before.shape]);
      if (maxAbsDiff(toFloat32(after), Array.from(toFloat32(before))) > 1e-6) changed++;
    }
    expect(changed).toBeGreaterThan(weightsBefore.size / 2);
    const emb = 'bert.embeddings.word_embeddings.weight';
    expect(maxAbsDiff(toFloat32(weightsAfter.get(emb)!), Array.from(toFloat32(weightsBefore.get(emb)!)))).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(theirs.mlm, Array.from(ours.mlm))).toBeGreaterThan(1e-4);
    expect(tf.memory().numTensors).toBe(n0);
  });
});
