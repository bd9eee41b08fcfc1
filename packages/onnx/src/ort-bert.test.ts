// createOrtBert on every odd fixture checkpoint (in memory, no file): the head's outputs and the encoder's
// (last_hidden_state, pooler_output) from one session equal the HF goldens within 1e-4; asking for some outputs
// returns only those; a [B, T] batch runs through a multiple-choice graph as [B, 1, T].
import { readCheckpointDir } from '@bertkit/encoder/node';
import { parseConfig, readSafetensors, toFloat32 } from '@bertkit/encoder';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOrtBert, ortHeadOf, type OrtBertSource } from './ort-bert.js';
import { importOnnxRuntime } from './ort-encoder.js';

const TOLERANCE = 1e-4;
const ortMissing = await importOnnxRuntime().then(
  () => null,
  (e: Error) => `onnxruntime-node cannot be imported (${e.message.slice(0, 80)}…): ORT engine tests skipped`,
);
const skip = fixturesMissing('encoder') ?? ortMissing;
const cases = (readManifest<{ forward: EncoderForwardCase[] }>('encoder')?.forward ?? []).filter((c) => c.name.startsWith('odd-') && !c.name.includes('legacy'));

/** ORT output name → golden key (encoder outputs: every head; the head's own by head). */
const GOLDEN: Record<string, string> = { last_hidden_state: 'sequence_output', pooler_output: 'pooled_output' };
const HEAD_GOLDEN: Record<string, Record<string, string>> = {
  base: {},
  mlm: { logits: 'mlm_logits' },
  pretraining: { logits: 'mlm_logits', seq_relationship_logits: 'nsp_logits' },
  seqcls: { logits: 'seqcls_logits' },
  tokcls: { logits: 'tokcls_logits' },
  qa: { start_logits: 'qa_start_logits', end_logits: 'qa_end_logits' },
  mc: { logits: 'mc_logits' },
};

async function source(dir: string): Promise<OrtBertSource> {
  const config = parseConfig(JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')));
  return { config, tensors: await readCheckpointDir(dir) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

if (skip !== null) {
  describe(`createOrtBert: ${skip}`, () => {
    it.skip('every odd fixture checkpoint in one ORT session', () => undefined);
  });
}

describe.skipIf(skip !== null)('createOrtBert: head and encoder outputs of one in-memory session vs the HF goldens', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const ort = await createOrtBert(await source(fixturePath('encoder', c.model)), { threads: 1 });
      try {
        expect(ort.head).toBe(c.head);
        const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
        const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, number[][] | number[][][]>;
        const flat = (x: number[][] | number[][][]) => (x as number[][]).flat(2) as number[];
        const ids = inputs.input_ids;
        const shape = Array.isArray(ids[0][0]) ? [ids.length, ids[0].length, (ids[0][0] as number[]).length] : [ids.length, ids[0].length];
        const out = await ort.run({ inputIds: flat(ids), typeIds: flat(inputs.token_type_ids), attentionMask: flat(inputs.attention_mask) }, shape);
        const expected = Object.entries({ ...HEAD_GOLDEN[c.head], ...(c.head === 'mc' ? {} : GOLDEN) }).filter(([, k]) => golden.has(k));
        expect(expected.length).toBeGreaterThan(0);
        expect(Object.keys(out)).toEqual(expect.arrayContaining(['last_hidden_state']));
        for (const [name, key] of expected) {
          expect(out[name].dims, name).toEqual(golden.get(key)!.shape);
          expect(maxAbsDiff(out[name].data, toFloat32(golden.get(key)!)), `${c.name} ${name}`).toBeLessThanOrEqual(TOLERANCE);
        }
      } finally {
        await ort.dispose();
      }
    });
  }

  it('returns only the outputs asked for, and runs a [B, T] batch through a multiple-choice graph as [B, 1, T]', async () => {
    const qa = await createOrtBert(await source(fixturePath('encoder', 'models/odd/qa')), { threads: 1 });
    const mc = await createOrtBert(await source(fixturePath('encoder', 'models/odd/mc')), { threads: 1 });
    try {
      const x = { inputIds: [1, 20, 30, 2], typeIds: [0, 0, 0, 0], attentionMask: [1, 1, 1, 1] };
      expect(Object.keys(await qa.run(x, [1, 4], ['start_logits', 'end_logits'])).sort()).toEqual(['end_logits', 'start_logits']);
      await expect(qa.run(x, [1, 4], ['logits'])).rejects.toThrow(/outputs: expected some of .*start_logits.*, got logits/);
      const seq = await mc.run(x, [1, 4], ['last_hidden_state', 'pooler_output']);
      expect(seq.last_hidden_state.dims).toEqual([1, 4, mc.config.hiddenSize]);
      expect(seq.pooler_output.dims).toEqual([1, mc.config.hiddenSize]);
    } finally {
      await qa.dispose();
      await mc.dispose();
    }
  });

  it('picks the head of a loaded model: its task head, else its masked-LM head, else the encoder', async () => {
    const s = await source(fixturePath('encoder', 'models/odd/pretraining'));
    expect(ortHeadOf(s)).toBe('pretraining');
    expect(ortHeadOf({ ...s, task: null, mlm: {} })).toBe('mlm');
    expect(ortHeadOf({ ...s, task: { kind: 'question-answering' }, mlm: null })).toBe('qa');
    expect(ortHeadOf({ ...s, task: null, mlm: null })).toBe('base');
  });
});
