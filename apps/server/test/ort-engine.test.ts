// `engine: 'ort'` (--engine ort): every inference route answers as the tfjs server (cpu backend) does, numbers
// within 1e-4 and everything else equal — embeddings (mean, cls, pooled, normalized; TEI /embed_all), fill-mask,
// classify, qa, ner, multiple-choice — on the odd HF fixture checkpoints; a layer other than the last is a 400
// naming `layer`; /readyz names the engine; --threads needs --engine ort. Skipped, saying why, where
// onnxruntime-node cannot be imported.
import { importOnnxRuntime } from '@bertkit/onnx/node';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, parseServeArgs, type BertServer } from '../src/index.js';
import { fixtureModels, modelsMissing, type FixtureName } from './fixture-models.js';
import { get, post } from './http.js';

const TOL = 1e-4;
const ortMissing = await importOnnxRuntime().then(
  () => null,
  (e: Error) => `onnxruntime-node cannot be imported (${e.message.slice(0, 80)}…): ORT engine tests skipped`,
);
const NAMES: FixtureName[] = ['base', 'pretraining', 'seqcls', 'qa', 'tokcls', 'mc'];
const TEXTS = ['the cat sat on the mat in paris and the dog ran home', 'a dog', 'where is the capital of france ?'];

/** [path, body] of every request compared between the engines. */
const REQUESTS: [string, Record<string, unknown>][] = [
  ...(['mean', 'cls', 'pooled'] as const).flatMap((pooling): [string, Record<string, unknown>][] => [
    ['/v1/embeddings', { model: 'base', input: TEXTS, pooling }],
    ['/v1/embeddings', { model: 'base', input: TEXTS, pair: ['a', 'b c', 'paris'], pooling, normalize: true }],
  ]),
  ['/v1/embeddings', { model: 'mc', input: TEXTS, pooling: 'pooled' }],
  ['/embed_all', { model: 'base', inputs: TEXTS }],
  ['/v1/fill-mask', { model: 'pretraining', input: ['the [MASK] sat on the mat', '[MASK] lives in [MASK] and the dog ran home .'], top_k: 5 }],
  ['/v1/classify', { model: 'seqcls', input: TEXTS, pair: ['a', 'b', 'c'] }],
  ['/v1/qa', { model: 'qa', question: 'where does john live ?', context: 'john lives in berlin and the dog ran home . she went to paris .', top_k: 3 }],
  ['/v1/ner', { model: 'tokcls', input: TEXTS }],
  ['/v1/multiple-choice', { model: 'mc', context: 'the cat sat on the mat', choices: ['and ran home', 'in paris', 'a dog'] }],
];

/** Max |a - b| over the numbers of two JSON values; anything else (keys, strings, lengths) must be equal. */
function jsonDiff(a: unknown, b: unknown, path: string): number {
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

if (ortMissing) {
  describe(`engine ort: ${ortMissing}`, () => {
    it.skip('answers as the tfjs server', () => undefined);
  });
}

describe.skipIf(modelsMissing !== null || ortMissing !== null)('engine ort answers as engine tfjs (cpu)', () => {
  let f: ReturnType<typeof fixtureModels>;
  let tfjs: BertServer;
  let ort: BertServer;
  let urls: [string, string];

  beforeAll(async () => {
    f = fixtureModels(NAMES);
    const models = NAMES.map((name) => ({ name, dir: f.dirs[name] }));
    tfjs = await createServer({ backend: 'cpu', models });
    ort = await createServer({ backend: 'cpu', models, engine: 'ort', threads: 1 });
    urls = [await tfjs.listen(0), await ort.listen(0)];
  });
  afterAll(async () => {
    await tfjs?.close();
    await ort?.close();
    f?.cleanup();
  });

  for (const [path, body] of REQUESTS) {
    it(`${path} ${JSON.stringify(body).slice(0, 90)}`, async () => {
      const [a, b] = await Promise.all(urls.map((u) => post(`${u}${path}`, body)));
      expect([a.status, b.status]).toEqual([200, 200]);
      const d = jsonDiff(b.body, a.body, path);
      console.log(`${path} ${body.model} ${body.pooling ?? ''}: max |ort - tfjs| = ${d.toExponential(1)}`);
      expect(d).toBeLessThan(TOL);
    });
  }

  it('refuses a layer other than the last (400 naming layer); /readyz names the engine', async () => {
    const r = await post<{ error: { field: string; message: string } }>(`${urls[1]}/v1/embeddings`, { model: 'base', input: 'a dog', layer: 1 });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('layer');
    expect(r.body.error.message).toMatch(/last layer .* with --engine ort/);
    expect((await get(`${urls[1]}/readyz`)).body).toMatchObject({ status: 'ready', engine: 'ort (onnxruntime-node, 1 threads)' });
    expect((await get(`${urls[0]}/readyz`)).body).toMatchObject({ status: 'ready', engine: 'tfjs', backend: 'cpu' });
  });

  it('runs in the inference worker too (--worker --engine ort; from dist, where the worker file is)', async (ctx) => {
    const dist = join(import.meta.dirname, '..', 'dist');
    if (!existsSync(join(dist, 'inference-worker.js'))) return ctx.skip('dist/inference-worker.js not built (pnpm build): worker case skipped');
    const built = (await import(join(dist, 'index.js'))) as { createServer: typeof createServer };
    const worker = await built.createServer({ backend: 'cpu', models: [{ name: 'pretraining', dir: f.dirs.pretraining }], engine: 'ort', threads: 1, inference: 'worker' });
    try {
      const url = await worker.listen(0);
      const body = REQUESTS.find(([p]) => p === '/v1/fill-mask')![1];
      const [a, b] = await Promise.all([post(`${urls[0]}/v1/fill-mask`, body), post(`${url}/v1/fill-mask`, body)]);
      expect(jsonDiff(b.body, a.body, 'fill-mask')).toBeLessThan(TOL);
      expect(worker.models.get('pretraining')!.forward).toBeNull(); // the main thread holds no ORT session
    } finally {
      await worker.close();
    }
  });
});

describe('--engine and --threads flags', () => {
  it('parse into the options, and --threads without --engine ort is refused naming the flag', () => {
    expect(parseServeArgs(['--model', 'm', '--engine', 'ort', '--threads', '2']).options).toMatchObject({ engine: 'ort', threads: 2 });
    expect(() => parseServeArgs(['--model', 'm', '--engine', 'onnx'])).toThrow(/--engine: expected tfjs \| ort, got "onnx"/);
    expect(() => parseServeArgs(['--model', 'm', '--threads', '2'])).toThrow(/--threads: expected --engine ort/);
  });
});
