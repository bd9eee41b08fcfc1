/* global process, console, Buffer, URL */
// `node bench/scaling.mjs`: how encodeBatchParallel scales with worker threads, against encodeBatch on the main
// thread, on the Brown corpus with the bert-base-uncased tokenizer (built dist/ required). Best of BENCH_ROUNDS
// (default 3) passes per setting. Without ../shared or node_modules, point BENCH_TOKENIZER at a tokenizer.json
// and BENCH_CORPUS at a text file (one text per line). BENCH_THREADS: comma-separated list (default 1,2,4,8 capped
// at the core count).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cores = os.cpus().length;
const threadList = (process.env.BENCH_THREADS ?? '1,2,4,8')
  .split(',')
  .map(Number)
  .filter((t) => t >= 1 && t <= cores);

let texts;
let tokenizerJson;
if (process.env.BENCH_CORPUS) texts = readFileSync(process.env.BENCH_CORPUS, 'utf8').split('\n').filter((l) => l.length > 0);
if (process.env.BENCH_TOKENIZER) tokenizerJson = readFileSync(process.env.BENCH_TOKENIZER, 'utf8');
if (!texts || !tokenizerJson) {
  const corpora = await import('./corpora.mjs');
  texts ??= corpora.brownSentences();
  tokenizerJson ??= corpora.uncasedTokenizerFiles()?.tokenizerJson;
  if (!tokenizerJson) {
    console.log('scaling: no tokenizer.json (set BENCH_TOKENIZER or BERTKIT_FIXTURES)');
    process.exit(0);
  }
}

if (!existsSync(new URL('../dist/node.js', import.meta.url))) {
  console.log('bench: dist/ not built: run `pnpm --filter @bertkit/tokenizer build` first');
  process.exit(1);
}
const { BertTokenizer } = await import('../dist/index.js');
const { createEncodePool } = await import('../dist/node.js');
const tok = BertTokenizer.fromJSON(tokenizerJson);
const mb = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0) / 1e6;
console.log(`machine: ${os.cpus()[0]?.model}, ${cores} cores, Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`corpus: ${texts.length} texts, ${mb.toFixed(2)} MB; best of ${rounds} passes`);

async function best(run) {
  let t = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await run();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

const chunks = (xs, n) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const batches = chunks(texts, 1000);
const base = await best(() => batches.map((b) => tok.encodeBatch(b)));
console.log(`encodeBatch, main thread: ${(mb / base).toFixed(2)} MB/s`);
for (const threads of threadList) {
  const pool = await createEncodePool(tok, { threads });
  try {
    const t = await best(() => pool.encodeBatch(texts));
    console.log(`encodeBatchParallel, ${threads} thread(s): ${(mb / t).toFixed(2)} MB/s, ×${(base / t).toFixed(2)} vs main thread`);
  } finally {
    await pool.close();
  }
}
