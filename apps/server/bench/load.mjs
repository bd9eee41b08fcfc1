// `pnpm --filter @bertkit/server bench`: loopback load test of the built server (dist/bin.js) in a child process.
// Model: a random BERT (hidden 64, 2 layers, 2 heads, intermediate 256, vocab 99) with a 3-label
// sequence-classification head, written to a temp dir; endpoint POST /v1/classify with sentences of 4..24 words.
// For batching on and off at concurrency 1, 16 and 64, and batching on with the worker engine at 1 and 64: requests/s and p50/p99 latency over a fixed window, plus
// /healthz latency probed every 20 ms while the load runs; then memory (RSS, heap, live tensors) before/after
// 10 000 requests. Bounded: ~100 s in all. Prints the machine (CPU model, cores, Node version).
import { Rng, initBackend } from '@bertkit/backend';
import { bertConfig } from '@bertkit/encoder';
import { BertTaskModel } from '@bertkit/heads';
import { saveTaskModel } from '@bertkit/heads/node';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
if (!existsSync(bin)) {
  console.error('dist/bin.js missing: run `pnpm --filter @bertkit/server build` first');
  process.exit(1);
}
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const MEMORY_REQUESTS = Number(process.env.BENCH_MEMORY_REQUESTS ?? 10_000);
const WAIT = process.env.BENCH_MAX_WAIT_MS ?? '2';

const WORDS = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'is', 'what', 'where', 'who', 'paris', 'france', 'capital', 'of', 'in', 'city', 'john', 'lives', 'berlin', 'and', 'it', 'was', 'good', 'bad', 'movie', 'ran', 'park', 'he', 'she', 'went', 'to', 'home', 'big', 'small', 'red'];
const L = 'abcdefghijklmnopqrstuvwxyz'.split('');
const VOCAB = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...WORDS, '.', ',', '?', '!', "'", '-', ...L, ...L.map((l) => `##${l}`)];

async function makeModel(dir) {
  await initBackend({ backend: 'cpu' });
  const rng = new Rng(7);
  const config = bertConfig({ vocabSize: 99, hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 256, maxPositionEmbeddings: 128, numLabels: 3 });
  const model = new BertTaskModel(config, 'sequence-classification', { rng });
  await saveTaskModel(dir, model);
  model.dispose();
  writeFileSync(join(dir, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
}

/** Sentences of 4..24 words from a fixed seed (same for every run). */
function sentences(n) {
  const rng = new Rng(11);
  return Array.from({ length: n }, () => Array.from({ length: 4 + rng.int(21) }, () => WORDS[rng.int(WORDS.length)]).join(' '));
}

function startServer(dir, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--model', `cls=${dir}`, '--port', '0', '--max-queue', '1024', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+) \(backend (\S+),/.exec(out);
      if (m) resolve({ child, url: m[1], backend: m[2] });
    });
    child.stderr.on('data', () => {});
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function request(url, method, path, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method, headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** `concurrency` closed-loop clients for `seconds` (after a 1 s warm-up) + a /healthz probe every 20 ms. */
async function load(url, concurrency, seconds, texts) {
  let stop = false;
  let i = 0;
  const lat = [];
  let errors = 0;
  let measuring = false;
  const client = async () => {
    while (!stop) {
      const t0 = performance.now();
      const r = await request(url, 'POST', '/v1/classify', { input: texts[i++ % texts.length] });
      if (r.status !== 200) errors++;
      if (measuring) lat.push(performance.now() - t0);
    }
  };
  const health = [];
  const probe = async () => {
    while (!stop) {
      const t0 = performance.now();
      await request(url, 'GET', '/healthz');
      if (measuring) health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const running = [...Array.from({ length: concurrency }, client), probe()];
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(running);
  return { rps: lat.length / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length, errors, h50: pct(health, 50), h99: pct(health, 99), hmax: Math.max(...health) };
}

function gauge(text, name) {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function memory(url, texts) {
  const read = async () => {
    const t = (await request(url, 'GET', '/metrics')).body;
    return { rss: gauge(t, 'process_resident_memory_bytes'), heap: gauge(t, 'nodejs_heap_used_bytes'), tensors: gauge(t, 'tfjs_tensors') };
  };
  const before = await read();
  let i = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (i < MEMORY_REQUESTS) {
        const r = await request(url, 'POST', '/v1/classify', { input: texts[i++ % texts.length] });
        if (r.status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { before, after: await read(), seconds, errors };
}

const root = mkdtempSync(join(os.tmpdir(), 'bert-server-bench-'));
const stopAll = [];
try {
  await makeModel(join(root, 'cls'));
  const texts = sentences(512);
  console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`model: random BERT hidden 64, 2 layers, 2 heads, intermediate 256, 3 labels; POST /v1/classify, 4..24 words per text; ${SECONDS} s per row after 1 s warm-up`);
  const rows = [];
  let memoryResult = null;
  const modes = [
    ['on', ['--max-wait-ms', WAIT, '--max-batch-size', '64'], [1, 16, 64]],
    ['off', ['--no-batching'], [1, 16, 64]],
    ['on+worker', ['--max-wait-ms', WAIT, '--max-batch-size', '64', '--worker'], [1, 64]],
  ];
  for (const [mode, extra, concurrencies] of modes) {
    const s = await startServer(join(root, 'cls'), extra);
    stopAll.push(s.child);
    if (rows.length === 0) console.log(`backend: ${s.backend}`);
    // warm the new process (wasm compilation, JIT, first-use allocations) before any row is measured
    for (let k = 0; k < 200; k++) await request(s.url, 'POST', '/v1/classify', { input: texts[k] });
    for (const c of concurrencies) rows.push({ mode, c, ...(await load(s.url, c, SECONDS, texts)) });
    if (mode === 'on') memoryResult = await memory(s.url, texts);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log('\nmode      conc   req/s    p50 ms   p99 ms   requests errors | /healthz p50 / p99 / max ms');
  for (const r of rows) console.log(`${r.mode.padEnd(9)} ${String(r.c).padStart(4)} ${f(r.rps).padStart(7)} ${f(r.p50, 2).padStart(9)} ${f(r.p99, 2).padStart(8)} ${String(r.n).padStart(10)} ${String(r.errors).padStart(6)} | ${f(r.h50, 2)} / ${f(r.h99, 2)} / ${f(r.hmax, 2)}`);
  const at = (mode, c) => rows.find((r) => r.mode === mode && r.c === c);
  console.log(`\nbatching on/off throughput at concurrency 64: ${f(at('on', 64).rps / at('off', 64).rps, 2)}x; p50 at concurrency 1: on ${f(at('on', 1).p50, 2)} ms vs off ${f(at('off', 1).p50, 2)} ms`);
  const m = memoryResult;
  const mb = (x) => f(x / 2 ** 20, 1);
  console.log(`memory (batching on) over ${MEMORY_REQUESTS} requests at concurrency 64 (${f(m.seconds)} s, ${m.errors} errors): RSS ${mb(m.before.rss)} → ${mb(m.after.rss)} MiB, heap ${mb(m.before.heap)} → ${mb(m.after.heap)} MiB, live tensors ${m.before.tensors} → ${m.after.tensors}`);
} finally {
  for (const c of stopAll) if (c.exitCode === null) c.kill('SIGKILL');
  agent.destroy();
  rmSync(root, { recursive: true, force: true });
}
