// The errors a user met (issue 10), as the CLI reports them: each names the file or field, the expected and the
// actual value — a corrupt config.json, a missing --model directory, a vocabulary larger than vocab_size.
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertForPreTraining } from '@bertkit/pretraining';
import { savePretrainingModel } from '@bertkit/pretraining/node';
import { BertTokenizer } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { capture, tempDir } from '../src/test-io.js';

const TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'cat', 'sat', '.'];
let dir = '';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = tempDir();
  const model = BertForPreTraining.create(bertConfig({ vocabSize: TOKENS.length, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 20, maxPositionEmbeddings: 16 }), { rng: new Rng(1), objective: 'mlm' });
  await savePretrainingModel(dir, model);
  model.dispose();
  await saveTokenizer(BertTokenizer.fromTokens(TOKENS), dir);
});

async function fillMask(model: string) {
  const c = capture();
  const code = await runCli(['fill-mask', '--model', model, '--backend', 'cpu', 'the [MASK] sat'], c.io);
  return { code, err: c.err() };
}

describe('bert reports bad model directories in words', () => {
  it('a missing --model directory is named as such (not a vocabulary error)', async () => {
    const r = await fillMask(join(dir, 'nope'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope/);
    expect(r.err).not.toMatch(/VocabError/);
    expect(r.err).toMatch(/does not exist|no such directory|not found/i);
  });

  it('a corrupt config.json names the file and what JSON.parse said', async () => {
    const bad = tempDir();
    for (const f of ['vocab.txt', 'model.safetensors']) writeFileSync(join(bad, f), readFileSync(join(dir, f)));
    writeFileSync(join(bad, 'config.json'), '{"hidden_size": 16,');
    const r = await fillMask(bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(bad, 'config.json'));
    expect(r.err).toMatch(/expected valid JSON/);
  });

  it('a vocabulary larger than vocab_size names both files and both sizes', async () => {
    const big = tempDir();
    for (const f of ['config.json', 'model.safetensors']) writeFileSync(join(big, f), readFileSync(join(dir, f)));
    writeFileSync(join(big, 'vocab.txt'), [...TOKENS, 'dog', 'mat'].join('\n') + '\n');
    const r = await fillMask(big);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(big, 'vocab.txt'));
    expect(r.err).toMatch(new RegExp(`at most ${TOKENS.length} tokens \\(vocab_size in ${join(big, 'config.json').replace(/[.]/g, '\\.')}`));
    expect(r.err).toMatch(/got 11 tokens/);
  });
});
