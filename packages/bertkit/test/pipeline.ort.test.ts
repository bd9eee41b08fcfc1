// pipeline(task, dir, { engine: 'ort' }): every task gives what the tfjs engine (cpu) gives — the same shape and
// fields, numbers within 1e-4 — on the odd HF fixture checkpoints (vocab.txt of `w<i>` words; texts of the golden
// input rows), through the same post-processing; `threads` needs `engine: 'ort'`. Skipped, saying why, where
// onnxruntime-node cannot be imported.
import '@tensorflow/tfjs-backend-cpu';
import { importOnnxRuntime } from '@bertkit/onnx/node';
import { fixturesMissing } from '@bertkit/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineError, pipeline, type Task } from '../src/node';
import { goldenRows, oddModelDir, oddVocab, removeOddModelDirs, textOf } from './odd-models';

const TOL = 1e-4;
const ortMissing = await importOnnxRuntime().then(
  () => null,
  (e: Error) => `onnxruntime-node cannot be imported (${e.message.slice(0, 80)}…): ORT engine tests skipped`,
);
const skip = fixturesMissing('encoder') ?? ortMissing;
afterAll(removeOddModelDirs);

/** Max |a - b| over the numbers of two JSON values; anything else (keys, strings, lengths) must be equal. */
function jsonDiff(a: unknown, b: unknown, path = ''): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, `${path} length`).toBe(b.length);
    return a.reduce((m: number, x, i) => Math.max(m, jsonDiff(x, b[i], `${path}[${i}]`)), 0);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), `${path} keys`).toEqual(Object.keys(b).sort());
    return Object.keys(a).reduce((m, k) => Math.max(m, jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)), 0);
  }
  expect(a, path).toEqual(b);
  return 0;
}

const rows = skip ? [] : goldenRows();
const pair = (r: number, vocab = oddVocab()) => ({ text: textOf(rows[r].a, vocab), text_pair: textOf(rows[r].b, vocab) });
const context = () => textOf([...rows[0].a, ...rows[0].b, ...rows[1].a]);

/** [task, fixture model, vocab, inputs, call options] of every case. */
const CASES: () => [Task, string, string[], unknown, Record<string, unknown>][] = () => [
  ['fill-mask', 'mlm', oddVocab(79), [pair(0, oddVocab(79)), textOf([20, 3, 30, 3])], { top_k: 5 }],
  ['fill-mask', 'pretraining', oddVocab(79), pair(0, oddVocab(79)), { top_k: 3, targets: ['w10', 'w20', 'w30'] }],
  ['feature-extraction', 'base', oddVocab(), [pair(1), textOf(rows[2].a)], {}],
  ...(['mean', 'cls', 'pooled'] as const).map((pooling): [Task, string, string[], unknown, Record<string, unknown>] => ['feature-extraction', 'base', oddVocab(), [pair(1), textOf(rows[2].a)], { pooling, normalize: true }]),
  ['text-classification', 'seqcls', oddVocab(), [pair(0), pair(1), textOf(rows[2].a)], { top_k: null }],
  ['token-classification', 'tokcls', oddVocab(), [textOf(rows[0].a), pair(1)], { ignore_labels: [] }],
  ['token-classification', 'tokcls', oddVocab(), textOf(rows[0].a), { aggregation_strategy: 'simple', ignore_labels: [] }],
  ['question-answering', 'qa', oddVocab(), { question: textOf(rows[2].a), context: context() }, { top_k: 3, max_seq_len: 16, doc_stride: 4 }],
  ['multiple-choice', 'mc', oddVocab(), { context: textOf(rows[0].a), choices: [textOf(rows[0].b), textOf(rows[1].b), textOf(rows[2].b)] }, {}],
];

if (skip !== null) {
  describe(`pipeline engine ort: ${skip}`, () => {
    it.skip('every task equals the tfjs engine', () => undefined);
  });
}

describe.skipIf(skip !== null)("pipeline(task, dir, { engine: 'ort' }) equals the tfjs engine (cpu)", () => {
  for (const [i, [task, name, vocab, input, options]] of (skip ? [] : CASES()).entries()) {
    it(`${task} (${name}) ${JSON.stringify(options)} #${i}`, async () => {
      const dir = oddModelDir(name, vocab);
      const tfjs = await pipeline(task, dir, { backend: 'cpu' });
      const ort = await pipeline(task, dir, { backend: 'cpu', engine: 'ort', threads: 1 });
      try {
        expect([tfjs.engine, ort.engine]).toEqual(['tfjs', 'ort']);
        const call = (p: typeof tfjs) => (p as unknown as (x: unknown, o: unknown) => Promise<unknown>)(input, options);
        const [a, b] = [await call(tfjs), await call(ort)];
        const d = jsonDiff(b, a);
        console.log(`${task} ${name} ${JSON.stringify(options)}: max |ort - tfjs| = ${d.toExponential(1)}`);
        expect(d).toBeLessThan(TOL);
      } finally {
        tfjs.dispose();
        ort.dispose();
      }
    });
  }

  it('takes a loaded model too (the ORT session is the pipeline\'s; the model stays the caller\'s)', async () => {
    const owner = await pipeline('feature-extraction', oddModelDir('base'), { backend: 'cpu' });
    const ort = await pipeline('feature-extraction', owner.model, { backend: 'cpu', engine: 'ort' });
    const x = textOf(rows[0].a);
    expect(jsonDiff(await ort(x, { pooling: 'mean' }), await owner(x, { pooling: 'mean' }))).toBeLessThan(TOL);
    ort.dispose();
    expect(await owner(x, { pooling: 'cls' })).toHaveLength(1); // the model still works
    owner.dispose();
  });
});

describe.skipIf(fixturesMissing('encoder') !== null)('engine options', () => {
  it('threads needs engine ort; an unknown engine is named', async () => {
    const dir = oddModelDir('base');
    await expect(pipeline('feature-extraction', dir, { backend: 'cpu', threads: 2 })).rejects.toThrow(PipelineError);
    await expect(pipeline('feature-extraction', dir, { backend: 'cpu', threads: 2 })).rejects.toThrow(/threads: expected engine: 'ort'/);
    await expect(pipeline('feature-extraction', dir, { backend: 'cpu', engine: 'onnx' as 'ort' })).rejects.toThrow(/engine: expected 'tfjs' \| 'ort', got "onnx"/);
  });
});
