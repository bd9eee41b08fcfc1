// A checkpoint written by @bertkit/pretraining (savePretrainingModel, what `bert pretrain` saves) is served:
// fill-mask over HTTP equals the pre-training model's own predictMasked (BertForPreTraining's own forward).
// Needs no ../shared fixtures.
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertForPreTraining, fromHfInputs } from '@bertkit/pretraining';
import { savePretrainingModel } from '@bertkit/pretraining/node';
import { BertTokenizer } from '@bertkit/tokenizer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type BertServer } from '../src/index.js';
import { VOCAB } from './fixture-models.js';
import { post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('serving a checkpoint written by @bertkit/pretraining', () => {
  let dir: string;
  let model: BertForPreTraining;
  let server: BertServer;
  let url: string;

  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    dir = mkdtempSync(join(tmpdir(), 'bert-server-pretrained-'));
    const config = bertConfig({ vocabSize: 99, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 37, maxPositionEmbeddings: 64 });
    model = BertForPreTraining.create(config, { rng: new Rng(3), objective: 'mlm+nsp' });
    await savePretrainingModel(dir, model);
    writeFileSync(join(dir, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
    server = await createServer({ backend: 'cpu', models: [{ name: 'pre', dir }] });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.close();
    model?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fill-mask equals BertForPreTraining.predictMasked', async () => {
    const text = 'the [MASK] sat on the [MASK] .';
    const r = await post<Json>(`${url}/v1/fill-mask`, { input: text, top_k: 5 });
    expect(r.status).toBe(200);
    const tok = BertTokenizer.fromTokens(VOCAB);
    const enc = tok.encode(text);
    const labels = enc.ids.map((id) => (id === tok.maskTokenId ? 0 : -100));
    const want = await model.predictMasked(fromHfInputs({ input_ids: [enc.ids], mlm_labels: [labels] }), 5);
    const masks = r.body.data[0].masks;
    expect(masks.map((m: Json) => m.position)).toEqual(want.map((w) => w.position));
    masks.forEach((m: Json, j: number) => {
      expect(m.predictions.map((p: Json) => p.token_id)).toEqual(want[j].ids);
      m.predictions.forEach((p: Json, k: number) => expect(p.score).toBeCloseTo(want[j].probs[k], 5));
    });
  });
});
