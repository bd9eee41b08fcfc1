// pipeline() errors name the field, the expected and the actual value; dispose() frees what pipeline() loaded.
import '@tensorflow/tfjs-backend-cpu';
import { fixturesMissing } from '@bertkit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBert, pipeline, PipelineError } from '../src/node';
import { oddModelDir, removeOddModelDirs } from './odd-models';

const skip = fixturesMissing('encoder');
afterAll(removeOddModelDirs);

describe.skipIf(skip !== null)(`pipeline() errors and ownership (${skip ?? 'odd fixtures'})`, () => {
  it('rejects unknown tasks, models without the needed head, bad options and inputs', async () => {
    await expect(pipeline('summarization' as 'ner', oddModelDir('mlm'), { backend: 'cpu' })).rejects.toThrow(PipelineError);
    await expect(pipeline('summarization' as 'ner', oddModelDir('mlm'))).rejects.toThrow(/task: expected fill-mask \| .* \| multiple-choice, got "summarization"/);
    // fill-mask on a classifier: the checkpoint has no cls.predictions.*
    const tc = await pipeline('fill-mask', oddModelDir('seqcls'), { backend: 'cpu' });
    await expect(tc('w5 [MASK]')).rejects.toThrow(/cls\.predictions\.\*: expected a masked-LM head/);
    tc.dispose();
    // a task head the checkpoint lacks (no rng: nothing is drawn at random)
    await expect(pipeline('question-answering', oddModelDir('mlm'), { backend: 'cpu' })).rejects.toThrow(/qa_outputs\.weight: expected a BertForQuestionAnswering head/);
    await expect(pipeline('fill-mask', oddModelDir('mlm'), { backend: 'cpu', max_length: 1000 })).rejects.toThrow(/max_length: expected an integer in \[2, 512\], got 1000/);
    const fill = await pipeline('fill-mask', oddModelDir('mlm'), { backend: 'cpu' });
    await expect(fill('w5 w6')).rejects.toThrow(/text: expected at least one \[MASK\] token/);
    await expect(fill({ text: 5 } as unknown as string)).rejects.toThrow(/input: expected a string or \{ text: string, text_pair\?: string \}, got \{"text":5\}/);
    fill.dispose();
    const ner = await pipeline('token-classification', oddModelDir('tokcls'), { backend: 'cpu' });
    await expect(ner('w5', { aggregation_strategy: 'mean' as 'max' })).rejects.toThrow(/aggregation_strategy: expected none \| simple \| first \| average \| max, got "mean"/);
    ner.dispose();
    await expect(ner('w5')).rejects.toThrow(/a disposed one/);
  });

  it('dispose() frees the tensors pipeline() loaded; a LoadedBert passed in stays the caller’s', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const fe = await pipeline('feature-extraction', oddModelDir('base'), { backend: 'current' });
    expect(fe.backend).toBeNull();
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    await fe('w5 w6');
    fe.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const loaded = await loadBert(oddModelDir('base'));
    const mid = tf.memory().numTensors;
    const borrowed = await pipeline('feature-extraction', loaded, { backend: 'cpu', pooling: 'cls' });
    expect(borrowed.backend?.backend).toBe('cpu');
    expect(((await borrowed('w5 w6')) as number[][])[0]).toHaveLength(40);
    borrowed.dispose();
    expect(tf.memory().numTensors).toBe(mid);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
