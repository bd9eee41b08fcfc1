// Head parity with HF transformers (PyTorch, fp32): every `forward[]` case of ../shared/fixtures/encoder/
// manifest.json whose head is a task head (seqcls, tokcls, qa, mc) is loaded with loadTaskModel and its logits are
// compared with the golden ones (max abs diff ≤ the manifest's tolerance). Cases are named after the manifest.
import '@tensorflow/tfjs-backend-cpu';
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaskModel } from './model-io';
import type { HeadKind } from './task-model';

type ForwardCase = EncoderForwardCase;

const HEADS: Record<string, { kind: HeadKind; golden: string[] }> = {
  seqcls: { kind: 'sequence-classification', golden: ['seqcls_logits'] },
  tokcls: { kind: 'token-classification', golden: ['tokcls_logits'] },
  qa: { kind: 'question-answering', golden: ['qa_start_logits', 'qa_end_logits'] },
  mc: { kind: 'multiple-choice', golden: ['mc_logits'] },
};

const manifest = readManifest<{ forward: ForwardCase[]; tolerance: { forward_abs: number } }>('encoder');
const skip = fixturesMissing('encoder');
const cases = (manifest?.forward ?? []).filter((c) => c.head in HEADS);
const tolerance = manifest?.tolerance.forward_abs ?? 1e-5;

type Ids = number[][] | number[][][];
const ids = (x: Ids) => tf.tensor(x as number[][], undefined, 'int32');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(skip !== null || cases.length === 0)(`head logits vs HF (${skip ?? `${cases.length} cases`})`, () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { kind, golden: keys } = HEADS[c.head];
    const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
    const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, Ids>;
    const start = tf.memory().numTensors;
    const model = await loadTaskModel(fixturePath('encoder', c.model));
    expect(model.kind).toBe(kind); // from config.json architectures
    const x = { inputIds: ids(inputs.input_ids), tokenTypeIds: ids(inputs.token_type_ids), attentionMask: ids(inputs.attention_mask) };
    const before = tf.memory().numTensors;
    const logits = model.forward(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    const parts = kind === 'question-answering' ? tf.unstack(logits, 2) : [logits];
    let worst = 0;
    keys.forEach((k, i) => {
      const g = golden.get(k)!;
      expect(parts[i].shape).toEqual(g.shape);
      const a = parts[i].dataSync();
      const b = toFloat32(g);
      for (let j = 0; j < b.length; j++) worst = Math.max(worst, Math.abs(a[j] - b[j]));
    });
    console.log(`${c.name}: logits max abs diff ${worst.toExponential(2)} (${keys.join(', ')})`);
    expect(worst).toBeLessThanOrEqual(tolerance);
    tf.dispose([logits, ...parts, x.inputIds, x.tokenTypeIds, x.attentionMask]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
