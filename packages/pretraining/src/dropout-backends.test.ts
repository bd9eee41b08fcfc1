// Pre-training with dropout on (hidden 0.1, attention 0.1) gives the same losses on cpu, wasm and WebGPU for a
// seed: the counter-based masks are drawn identically in JS and tested in place by the fused WebGPU kernels (flash
// attention and its backward, LayerNorm(dropout(x) + residual)). WebGPU is skipped, with the reason, without Dawn.
import { Rng, initBackend, type BackendName } from '@bertkit/backend';
import { parseConfig } from '@bertkit/encoder';
import { AdamW, constantSchedule, train } from '@bertkit/training';
import { describe, expect, it } from 'vitest';
import { collateInstances } from './data-batch.js';
import { BertForPreTraining } from './pretraining-model.js';

const config = parseConfig({
  vocab_size: 60, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 48,
  max_position_embeddings: 32, hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1,
});

const noDropout = { ...config, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 };

async function losses(backend: BackendName, cfg = config): Promise<number[]> {
  await initBackend({ backend });
  const rng = new Rng(5);
  const rows = Array.from({ length: 4 }, () => {
    const ids = Int32Array.from({ length: 24 }, () => 5 + rng.int(50));
    const positions = Int32Array.from([2, 7, 11, 19]);
    return { inputIds: ids, segmentBStart: 12, nspLabel: rng.int(2), maskedPositions: positions, maskedLabels: Int32Array.from(positions, (i) => ids[i]) };
  });
  const batch = collateInstances(rows, 24, 4);
  const model = BertForPreTraining.create(cfg, { rng: new Rng(9) });
  const optimizer = new AdamW();
  const { params, lossFn } = model.asTask();
  const result = await train({
    params,
    lossFn,
    data: (function* () {
      for (;;) yield batch;
    })(),
    optimizer,
    schedule: constantSchedule(1e-3),
    steps: 4,
    rng: new Rng(77),
  });
  optimizer.dispose();
  model.dispose();
  return result.losses;
}

async function webGpuSkip(): Promise<string | false> {
  try {
    await initBackend({ backend: 'webgpu' });
    return false;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

describe('pre-training with dropout: the same losses on every backend', () => {
  it('cpu, wasm and WebGPU (fused kernels) log the same 4 losses, and dropout changes them', async (ctx) => {
    const cpu = await losses('cpu');
    const plain = await losses('cpu', noDropout);
    expect(Math.max(...cpu.map((l, i) => Math.abs(l - plain[i])))).toBeGreaterThan(1e-3); // dropout is on
    const wasm = await losses('wasm');
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i])).toBeLessThan(1e-4);
    const skip = await webGpuSkip();
    if (skip) {
      console.log(`webgpu case skipped: ${skip}`);
      return ctx.skip();
    }
    const gpu = await losses('webgpu');
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(gpu[i] - cpu[i])).toBeLessThan(1e-4);
  });
});
