// Golden parity of the exported graphs: every case of ../shared/fixtures/encoder/manifest.json `forward[]` is
// exported (plain opset-17 graph, and the ORT contrib-op graph), run in onnxruntime-node on the golden inputs
// and compared with HF transformers' float32 outputs (≤ 1e-4). The encoder part (last_hidden_state,
// pooler_output) is also compared with bertkit's tfjs forward on the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import { loadModel } from '@bertkit/encoder/node';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import type { HeadKind } from './heads.js';
import { createOrtEncoder, type OrtOutput } from './ort-encoder.js';

const TOLERANCE = 1e-4;
const manifest = readManifest<{ forward: EncoderForwardCase[] }>('encoder');
const skip = fixturesMissing('encoder');
const cases = manifest?.forward ?? [];

/** ONNX output name → golden key, per head. */
const GOLDEN: Record<HeadKind, Record<string, string>> = {
  base: { last_hidden_state: 'sequence_output', pooler_output: 'pooled_output' },
  mlm: { logits: 'mlm_logits' },
  pretraining: { logits: 'mlm_logits', seq_relationship_logits: 'nsp_logits' },
  seqcls: { logits: 'seqcls_logits' },
  tokcls: { logits: 'tokcls_logits' },
  qa: { start_logits: 'qa_start_logits', end_logits: 'qa_end_logits' },
  mc: { logits: 'mc_logits' },
};

type Ids = number[][] | number[][][];
interface Inputs {
  input_ids: Ids;
  attention_mask: Ids;
  token_type_ids: Ids;
}

function shapeOf(x: Ids): number[] {
  return Array.isArray(x[0][0]) ? [x.length, x[0].length, (x[0][0] as number[]).length] : [x.length, x[0].length];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function runOnnx(c: EncoderForwardCase, head: HeadKind | undefined, optimize: boolean): Promise<Record<string, OrtOutput>> {
  const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Inputs;
  const model = await exportOnnx(fixturePath('encoder', c.model), { head, optimize });
  const ort = await createOrtEncoder(model.bytes, { threads: 1 });
  try {
    expect(ort.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(ort.outputNames).toEqual(model.outputs.map((o) => o.name));
    const flat = (x: Ids) => (x as number[][]).flat(2) as number[];
    return await ort.run(
      { inputIds: flat(inputs.input_ids), attentionMask: flat(inputs.attention_mask), tokenTypeIds: flat(inputs.token_type_ids) },
      shapeOf(inputs.input_ids),
    );
  } finally {
    await ort.dispose();
  }
}

if (skip !== null) {
  describe(`onnx export parity: ${skip}`, () => {
    it.skip('every manifest case in onnxruntime-node', () => undefined);
  });
}

const measured: string[] = [];

for (const optimize of [false, true]) {
  describe.skipIf(skip !== null)(`exported graph (${optimize ? 'ORT contrib ops' : 'standard opset 17'}) in ORT vs HF goldens`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
        const head = c.head as HeadKind;
        const out = await runOnnx(c, undefined, optimize);
        const expected = Object.entries(GOLDEN[head]).filter(([, k]) => golden.has(k));
        expect(Object.keys(out).sort()).toEqual(expected.map(([n]) => n).sort());
        for (const [name, key] of expected) {
          const g = golden.get(key)!;
          expect(out[name].dims, name).toEqual(g.shape);
          const d = maxAbsDiff(out[name].data, toFloat32(g));
          measured.push(`${c.name} ${optimize ? 'fused' : 'plain'} ${name}: ${d.toExponential(2)}`);
          expect(d, `${c.name} ${name}`).toBeLessThanOrEqual(TOLERANCE);
        }
      });
    }
  });
}

describe.skipIf(skip !== null)('exported encoder in ORT vs bertkit tfjs forward (cpu)', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner
    expect(await tf.setBackend('cpu')).toBe(true);
  });
  for (const c of cases.filter((x) => x.head !== 'mc')) {
    it(c.name, async () => {
      const out = await runOnnx(c, 'base', false);
      const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Inputs;
      const { model } = await loadModel(fixturePath('encoder', c.model));
      const x = {
        inputIds: tf.tensor2d(inputs.input_ids as number[][], undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(inputs.token_type_ids as number[][], undefined, 'int32'),
        attentionMask: tf.tensor2d(inputs.attention_mask as number[][], undefined, 'int32'),
      };
      const before = tf.memory().numTensors;
      const y = model.forward(x);
      const seq = await y.sequenceOutput.data();
      expect(maxAbsDiff(out.last_hidden_state.data, seq)).toBeLessThanOrEqual(TOLERANCE);
      expect(out.pooler_output !== undefined).toBe(y.pooledOutput !== null);
      if (y.pooledOutput) expect(maxAbsDiff(out.pooler_output.data, await y.pooledOutput.data())).toBeLessThanOrEqual(TOLERANCE);
      tf.dispose([y.sequenceOutput, y.pooledOutput ?? []].flat());
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(x));
      model.dispose();
    });
  }
  it('reports the measured differences', () => {
    console.log(measured.join('\n'));
  });
});

describe.skipIf(skip !== null)('exportOnnx of a loaded model', () => {
  it('writes the same bytes as the export of its directory, and follows weight changes', async () => {
    const dir = fixturePath('encoder', 'models/odd/seqcls');
    const loaded = await loadModel(dir);
    const fromDir = await exportOnnx(dir);
    expect(Buffer.from((await exportOnnx(loaded)).bytes).equals(Buffer.from(fromDir.bytes))).toBe(true);
    // A fine-tuned model exports its current weights, not the checkpoint's.
    const bias = loaded.model.parameters().get('pooler.dense.bias')!;
    bias.assign(tf.add(bias, 1));
    expect(Buffer.from((await exportOnnx(loaded)).bytes).equals(Buffer.from(fromDir.bytes))).toBe(false);
    loaded.model.dispose();
  });
});
