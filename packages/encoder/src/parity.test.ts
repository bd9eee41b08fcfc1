// Golden parity with HF transformers 4.35 (PyTorch, fp32): every case of ../shared/fixtures/encoder/manifest.json
// `forward[]` is loaded with loadModel and every BertModel intermediate is compared (embeddings, each layer's
// attention probs / context / attention output / intermediate / output, sequence and pooled output). Head logits
// are checked by the heads' packages. Every case runs on cpu and wasm (≤ 1e-5), and on WebGPU (≤ 1e-4) where
// Dawn finds an adapter.
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@bertkit/backend';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors, toFloat32, type RawTensor } from './checkpoint/index.js';
import { loadModel } from './model-dir.js';
import { stateDict } from './weights.js';

type ForwardCase = EncoderForwardCase;
interface Manifest {
  forward: ForwardCase[];
  tolerance: { forward_abs: number };
}

const manifest = readManifest<Manifest>('encoder');
const skip = fixturesMissing('encoder');
const cases = manifest?.forward ?? [];
const tolerance = manifest?.tolerance.forward_abs ?? 1e-5;
// The BertModel part of a golden file; head logits belong to the heads' tests.
const ENCODER_KEY = /^(embeddings|layer\.\d+\.(attention_probs|attention_context|attention_output|intermediate_output|output)|sequence_output|pooled_output)$/;

type Ids = number[][] | number[][][];

/** int32 [B, T]; multiple-choice inputs [B, C, T] are flattened to [B·C, T] as BertForMultipleChoice does. */
function ids2d(x: Ids): tf.Tensor2D {
  const rows = (Array.isArray(x[0][0]) ? (x as number[][][]).flat() : x) as number[][];
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}

function maxAbsDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const measured: string[] = [];

async function runCase(c: ForwardCase, backend: string, tol = tolerance): Promise<void> {
  const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
  const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, Ids>;
  const { model } = await loadModel(fixturePath('encoder', c.model));
  const x = {
    inputIds: ids2d(inputs.input_ids),
    tokenTypeIds: ids2d(inputs.token_type_ids),
    attentionMask: ids2d(inputs.attention_mask),
  };
  const before = tf.memory().numTensors;
  const out = model.forward(x, { capture: true, outputHiddenStates: true, outputAttentions: true });
  const captured = out.captured!;
  const expected = [...golden.entries()].filter(([k]) => ENCODER_KEY.test(k));
  expect(expected.length).toBeGreaterThan(model.config.numHiddenLayers * 5);
  expect(golden.has('pooled_output')).toBe(out.pooledOutput !== null);
  let worst = 0;
  let worstName = '';
  for (const [name, g] of expected as Array<[string, RawTensor]>) {
    const t = captured[name];
    expect(t, `${name} not produced`).toBeDefined();
    expect(t.shape, name).toEqual(g.shape);
    const d = maxAbsDiff(await t.data<'float32'>(), toFloat32(g));
    expect(d, `${c.name} ${backend} ${name}`).toBeLessThanOrEqual(tol);
    if (d > worst) [worst, worstName] = [d, name];
  }
  // The public outputs are the same tensors as the captured ones.
  expect(out.hiddenStates!.length).toBe(model.config.numHiddenLayers + 1);
  expect(out.hiddenStates![0]).toBe(captured.embeddings);
  expect(out.attentions![0]).toBe(captured['layer.0.attention_probs']);
  measured.push(`${c.name} [${backend}]: max abs diff ${worst.toExponential(2)} (${worstName}, ${expected.length} tensors)`);
  tf.dispose(out as unknown as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose(Object.values(x));
  model.dispose();
}

// Without fixtures the case list is empty: show one skipped test that carries the reason.
if (skip !== null) {
  describe(`encoder parity: ${skip}`, () => {
    it.skip('every manifest case on cpu, wasm and webgpu', () => undefined);
  });
}

describe.skipIf(skip !== null)(`encoder parity on cpu ${skip ?? ''}`, () => {
  beforeAll(async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
  });
  for (const c of cases) it(c.name, () => runCase(c, 'cpu'));
});

describe.skipIf(skip !== null)(`encoder parity on wasm ${skip ?? ''}`, () => {
  beforeAll(async () => {
    expect((await initBackend({ backend: 'wasm' })).backend).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });
  for (const c of cases) it(c.name, () => runCase(c, 'wasm'));
});

// WebGPU (Dawn in Node: a GPU, or Mesa llvmpipe through OpenGL ES) where an adapter exists; the bound
// for WebGPU is 1e-4 (f32 shaders with fast-math exp/tanh and a different reduction order).
const WEBGPU_TOLERANCE = 1e-4;
const noWebGpu =
  skip ??
  (await initBackend({ backend: 'webgpu' }).then(
    () => null,
    (e: Error) => `no WebGPU adapter here (${e.message}): webgpu parity skipped`,
  ));
await tf.setBackend('cpu');

describe.skipIf(noWebGpu !== null)(`encoder parity on webgpu ${noWebGpu ?? ''}`, () => {
  beforeAll(async () => {
    expect((await initBackend({ backend: 'webgpu' })).backend).toBe('webgpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
    console.log(measured.join('\n'));
  });
  for (const c of cases) it(c.name, () => runCase(c, 'webgpu', WEBGPU_TOLERANCE));
});

// Cases that share a golden (odd-base and odd-base-legacy-bin: the same weights saved as model.safetensors and as a
// legacy pytorch_model.bin with LayerNorm.gamma/beta names and a position_ids buffer) must load identical weights.
describe.skipIf(skip !== null)(`checkpoints sharing a golden load the same weights ${skip ?? ''}`, () => {
  const byGolden = new Map<string, ForwardCase[]>();
  for (const c of cases) byGolden.set(c.golden, [...(byGolden.get(c.golden) ?? []), c]);
  for (const group of [...byGolden.values()].filter((g) => new Set(g.map((c) => c.model)).size > 1)) {
    it(group.map((c) => c.name).join(' = '), async () => {
      const loaded = await Promise.all(group.map((c) => loadModel(fixturePath('encoder', c.model), { strict: true })));
      const [first, ...rest] = await Promise.all(loaded.map((l) => stateDict(l.model)));
      for (const other of rest) {
        expect([...other.keys()]).toEqual([...first.keys()]);
        for (const [k, t] of first) expect(other.get(k)!.data, k).toEqual(t.data);
      }
      const legacy = loaded.find((l) => l.report.ignored.length > 0);
      if (group.some((c) => c.name.endsWith('legacy-bin'))) {
        expect(legacy?.report.ignored).toEqual(['embeddings.position_ids']);
      }
      for (const l of loaded) l.model.dispose();
    });
  }
});
