// The fused WebGPU forward (BertModel.forward in inference without capture or attention probabilities, see
// ForwardContext.fused): it matches HF's goldens and the cpu forward within 1e-4, and a tiny forward (2 layers,
// hidden 128, 2 heads, intermediate 512; batch 8 × seq 128) issues at most 24 compute dispatches, counted
// from outside the program (Dawn's dispatchWorkgroups). Skipped, with the reason, without a WebGPU adapter.
import '@tensorflow/tfjs-backend-cpu';
import { initBackend, Rng } from '@bertkit/backend';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { countGpuCalls } from '@bertkit/test-utils/gpu-calls';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BertModel, type BertInputs } from './bert-model.js';
import { readSafetensors, toFloat32 } from './checkpoint/index.js';
import { loadModel } from './model-dir.js';
import { presets } from './presets.js';

const TOLERANCE = 1e-4;
const MAX_DISPATCHES = 24;

const noWebGpu = await initBackend({ backend: 'webgpu' }).then(
  () => null,
  (e: Error) => `no WebGPU adapter here (${e.message}): fused forward tests skipped`,
);
await tf.setBackend('cpu');
if (noWebGpu !== null) console.warn(noWebGpu);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Sequence and pooled output of one inference forward, read back. */
async function forward(model: BertModel, x: BertInputs): Promise<Float32Array[]> {
  const out = model.forward(x);
  const values = [(await out.sequenceOutput.data()) as Float32Array, (await out.pooledOutput!.data()) as Float32Array];
  tf.dispose([out.sequenceOutput, out.pooledOutput!]);
  return values;
}

describe.skipIf(noWebGpu !== null)(`fused forward on webgpu ${noWebGpu ?? ''}`, () => {
  const measured: string[] = [];
  afterAll(async () => {
    await tf.setBackend('cpu');
    console.log(measured.join('\n'));
  });

  const fixtures = fixturesMissing('encoder');
  const cases = readManifest<{ forward: EncoderForwardCase[] }>('encoder')?.forward ?? [];
  for (const c of cases.filter((k) => k.name === 'tiny-pretraining' || k.name === 'odd-base')) {
    it.skipIf(fixtures !== null)(`${c.name}: sequence and pooled output equal HF's within ${TOLERANCE} ${fixtures ?? ''}`, async () => {
      await tf.setBackend('webgpu');
      const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
      const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, number[][]>;
      const { model } = await loadModel(fixturePath('encoder', c.model));
      const x = {
        inputIds: tf.tensor2d(inputs.input_ids, undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(inputs.token_type_ids, undefined, 'int32'),
        attentionMask: tf.tensor2d(inputs.attention_mask, undefined, 'int32'),
      };
      const before = tf.memory().numTensors;
      const [seq, pooled] = await forward(model, x);
      expect(tf.memory().numTensors).toBe(before);
      const dSeq = maxAbsDiff(seq, toFloat32(golden.get('sequence_output')!));
      const dPooled = maxAbsDiff(pooled, toFloat32(golden.get('pooled_output')!));
      expect(dSeq).toBeLessThanOrEqual(TOLERANCE);
      expect(dPooled).toBeLessThanOrEqual(TOLERANCE);
      measured.push(`${c.name} fused vs HF: sequence ${dSeq.toExponential(2)}, pooled ${dPooled.toExponential(2)}`);
      tf.dispose(Object.values(x));
      model.dispose();
    });
  }

  it(`a tiny forward (B 8 × T 128, padded) issues ≤ ${MAX_DISPATCHES} dispatches and equals cpu within ${TOLERANCE}`, async () => {
    const [b, t] = [8, 128];
    await tf.setBackend('cpu');
    const model = new BertModel(presets.tiny, { rng: new Rng(7) });
    const ids = Array.from({ length: b * t }, (_, i) => (i * 7919) % presets.tiny.vocabSize);
    const mask = Array.from({ length: b * t }, (_, i) => (i % t < t - 13 * Math.floor(i / t) ? 1 : 0));
    const types = Array.from({ length: b * t }, (_, i) => (i % t < t / 2 ? 0 : 1));
    const make = (): BertInputs => ({
      inputIds: tf.tensor2d(ids, [b, t], 'int32'),
      tokenTypeIds: tf.tensor2d(types, [b, t], 'int32'),
      attentionMask: tf.tensor2d(mask, [b, t], 'int32'),
    });
    const onCpu = make();
    const want = await forward(model, onCpu);
    tf.dispose(Object.values(onCpu));

    await tf.setBackend('webgpu');
    const x = make();
    await forward(model, x); // warm-up: moves the weights to the GPU and compiles every pipeline
    const counter = countGpuCalls();
    const got = await forward(model, x);
    const calls = counter.read();
    counter.stop();
    expect(calls.dispatches).toBeLessThanOrEqual(MAX_DISPATCHES);
    const d = Math.max(maxAbsDiff(got[0], want[0]), maxAbsDiff(got[1], want[1]));
    expect(d).toBeLessThanOrEqual(TOLERANCE);
    measured.push(`tiny B ${b} × T ${t}: ${calls.dispatches} dispatches, ${calls.submits} submits, ${calls.mapAsyncs} read-backs; max |webgpu - cpu| ${d.toExponential(2)}`);

    // asking for the attention probabilities takes the unfused path, which returns them
    const withProbs = model.forward(x, { outputAttentions: true });
    expect(withProbs.attentions).toHaveLength(presets.tiny.numHiddenLayers);
    expect(maxAbsDiff((await withProbs.sequenceOutput.data()) as Float32Array, want[0])).toBeLessThanOrEqual(TOLERANCE);
    tf.dispose(withProbs as unknown as tf.TensorContainer);
    tf.dispose(Object.values(x));
    model.dispose();
  });
});
