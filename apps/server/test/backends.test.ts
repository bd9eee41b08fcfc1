// The same answers on every backend: a server on wasm and on WebGPU (in Node: Dawn, on Mesa llvmpipe when there
// is no GPU — named explicitly, so the software adapter is allowed) answers /v1/embeddings (mean and cls pooling
// of a padded batch of texts of different lengths) and /v1/fill-mask as the cpu server does within 1e-4, and a
// sentence pair that reproduces a row of the HF goldens (../shared/fixtures/encoder, manifest.json forward cases
// odd-base and odd-seqcls) gives the goldens' [CLS] vector, masked mean, pooler output and classifier logits.
// WebGPU is skipped, with the reason, where Dawn or Mesa's EGL is unavailable (scripts/system-deps.sh).
import { BackendError, type BackendName } from '@bertkit/backend';
import { readSafetensors, type RawTensor } from '@bertkit/encoder';
import { BertTokenizer } from '@bertkit/tokenizer';
import { fixturePath, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';
import { VOCAB, fixtureModels, modelsMissing } from './fixture-models.js';
import { get, post } from './http.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOL = 1e-4;
const TEXTS = ['the cat sat on the mat in paris and the dog ran home', 'a dog', 'where is the capital of france ?'];
const MASKED = ['the [MASK] sat on the mat', '[MASK] lives in [MASK] and the dog ran home .'];
// Row 1 of goldens/odd/inputs.json: [CLS] ' t ##z bad ##m paris [SEP] to ##f it u [SEP] (+ 11 [PAD]); the other
// two rows begin a segment with a ## piece, which no text encodes to.
const GOLDEN_PAIR = ["' tz badm paris", 'tof it u'];
const GOLDEN_ROW = 1;
// the golden pair first, then longer and shorter pairs, so that its row is padded in the batch
const PAIR_INPUT = [GOLDEN_PAIR[0], 'the cat sat on the mat in paris and the dog ran home', 'a'];
const PAIR_PAIR = [GOLDEN_PAIR[1], 'where is the capital of france ?', 'b'];

interface Answers {
  readyz: Json;
  embeddings: Record<'mean' | 'cls', number[][]>;
  pairEmbeddings: Record<'mean' | 'cls' | 'pooled', number[]>;
  fillMask: Json[];
  logits: number[];
}

async function answersOn(backend: BackendName, dirs: Record<string, string>): Promise<Answers> {
  const server = await createServer({ backend, models: ['base', 'mlm', 'seqcls'].map((name) => ({ name, dir: dirs[name] })) });
  try {
    const url = await server.listen(0);
    const ok = async (path: string, body: unknown): Promise<Json> => {
      const r = await post<Json>(`${url}${path}`, body);
      expect([path, r.status]).toEqual([path, 200]);
      return r.body;
    };
    const embed = async (body: Json) => (await ok('/v1/embeddings', { model: 'base', ...body })).data.map((d: Json) => d.embedding as number[]);
    const pair = async (pooling: string) => (await embed({ input: PAIR_INPUT, pair: PAIR_PAIR, pooling }))[0];
    return {
      readyz: (await get<Json>(`${url}/readyz`)).body,
      embeddings: { mean: await embed({ input: TEXTS, pooling: 'mean' }), cls: await embed({ input: TEXTS, pooling: 'cls' }) },
      pairEmbeddings: { mean: await pair('mean'), cls: await pair('cls'), pooled: await pair('pooled') },
      fillMask: (await ok('/v1/fill-mask', { model: 'mlm', input: MASKED, top_k: 5 })).data,
      logits: (await ok('/v1/classify', { model: 'seqcls', input: PAIR_INPUT, pair: PAIR_PAIR })).data[0].logits,
    };
  } finally {
    await server.close();
  }
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The goldens of row GOLDEN_ROW: [CLS] vector, mean over its real tokens, pooler output (odd-base), logits (odd-seqcls). */
function goldens(): { pair: Answers['pairEmbeddings']; logits: number[]; ids: number[] } {
  const cases = readManifest<{ forward: EncoderForwardCase[] }>('encoder')!.forward;
  const read = (name: string) => readSafetensors(readFileSync(fixturePath('encoder', cases.find((c) => c.name === name)!.golden))).tensors;
  const base = read('odd-base');
  const row = (t: RawTensor, at: number, n: number) => Array.from(t.data.subarray(at, at + n) as Float32Array);
  const [, T, H] = base.get('sequence_output')!.shape; // [B, T, H]
  const mask = Array.from(base.get('input.attention_mask')!.data as BigInt64Array, Number).slice(GOLDEN_ROW * T, (GOLDEN_ROW + 1) * T);
  const n = mask.reduce((a, b) => a + b, 0);
  const seq = base.get('sequence_output')!;
  const mean = new Array<number>(H).fill(0);
  for (let t = 0; t < n; t++) row(seq, (GOLDEN_ROW * T + t) * H, H).forEach((v, h) => (mean[h] += v / n));
  const ids = Array.from(base.get('input.input_ids')!.data as BigInt64Array, Number).slice(GOLDEN_ROW * T, GOLDEN_ROW * T + n);
  const seqcls = read('odd-seqcls').get('seqcls_logits')!; // [B, K]
  const K = seqcls.shape[1];
  return { pair: { cls: row(seq, GOLDEN_ROW * T * H, H), mean, pooled: row(base.get('pooled_output')!, GOLDEN_ROW * H, H) }, logits: row(seqcls, GOLDEN_ROW * K, K), ids };
}

/** Max |a - b| of every number the two servers answered (fill-mask: the same top-k ids, scores compared). */
function diffToCpu(got: Answers, cpu: Answers): Record<string, number> {
  let fill = 0;
  got.fillMask.forEach((item, i) =>
    item.masks.forEach((m: Json, j: number) => {
      const want = cpu.fillMask[i].masks[j].predictions;
      expect(m.predictions.map((p: Json) => p.token_id)).toEqual(want.map((p: Json) => p.token_id));
      fill = Math.max(fill, maxDiff(m.predictions.map((p: Json) => p.score), want.map((p: Json) => p.score)));
    }),
  );
  const rows = (k: 'mean' | 'cls') => Math.max(...got.embeddings[k].map((v, i) => maxDiff(v, cpu.embeddings[k][i])));
  return { embeddingsMean: rows('mean'), embeddingsCls: rows('cls'), fillMaskScores: fill };
}

function diffToGoldens(got: Answers, g: ReturnType<typeof goldens>): Record<string, number> {
  return { goldenCls: maxDiff(got.pairEmbeddings.cls, g.pair.cls), goldenMean: maxDiff(got.pairEmbeddings.mean, g.pair.mean), goldenPooled: maxDiff(got.pairEmbeddings.pooled, g.pair.pooled), goldenLogits: maxDiff(got.logits, g.logits) };
}

/** Why WebGPU cannot run here, or null. */
function webgpuMissing(): string | null {
  if (process.platform !== 'linux') return null;
  const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];
  return libDirs.some((d) => existsSync(`${d}/libEGL_mesa.so.0`)) ? null : 'Mesa EGL (libEGL_mesa.so.0) not found: run scripts/system-deps.sh';
}

describe.skipIf(modelsMissing)('the same numbers on cpu, wasm and webgpu, and the HF goldens', () => {
  let f: ReturnType<typeof fixtureModels>;
  let cpu: Answers;
  let g: ReturnType<typeof goldens>;

  beforeAll(async () => {
    f = fixtureModels(['base', 'mlm', 'seqcls']);
    g = goldens();
    cpu = await answersOn('cpu', f.dirs);
  });
  afterAll(() => f?.cleanup());

  it('the golden pair encodes to the golden ids, and the cpu server answers the goldens', () => {
    expect(BertTokenizer.fromTokens(VOCAB).encode(GOLDEN_PAIR[0], GOLDEN_PAIR[1]).ids).toEqual(g.ids);
    const d = diffToGoldens(cpu, g);
    console.log(`cpu vs HF goldens (max abs diff): ${JSON.stringify(d)}`);
    for (const v of Object.values(d)) expect(v).toBeLessThan(TOL);
    expect(cpu.readyz).toMatchObject({ status: 'ready', backend: 'cpu' });
  });

  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`${backend}: embeddings (mean, cls) and fill-mask equal cpu within ${TOL}; the golden pair equals the goldens`, async (ctx) => {
      const missing = backend === 'webgpu' ? webgpuMissing() : null;
      if (missing) return ctx.skip(`webgpu skipped: ${missing}`);
      let got: Answers;
      try {
        got = await answersOn(backend, f.dirs);
      } catch (e) {
        if (backend === 'webgpu' && e instanceof BackendError) return ctx.skip(`webgpu skipped: ${e.message}`);
        throw e;
      }
      const d = { ...diffToCpu(got, cpu), ...diffToGoldens(got, g) };
      console.log(`${backend} (${got.readyz.adapter ?? 'no adapter'}) max abs diff: ${JSON.stringify(d)}`);
      for (const v of Object.values(d)) expect(v).toBeLessThan(TOL);
      expect(got.readyz).toMatchObject({ status: 'ready', backend });
    });
  }
});
