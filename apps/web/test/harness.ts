// Test / script harness: a static server for the built app on 127.0.0.1 (plus extra mounted files, e.g. a
// fixture model), and Debian's Chromium through playwright-core with WebGPU enabled (SwiftShader here).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BERTKIT_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? null : `${CHROMIUM} not found (apt-get install chromium, or set BERTKIT_CHROMIUM): browser tests skipped`;
export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

export const FLAGS = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain' };

/** Serves dist/ and `extra` (URL path → bytes or file path). Returns the base URL and a close function. */
export async function serve(extra: Record<string, string | Uint8Array> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const hit = extra[path];
    const name = path.endsWith('/') ? `${path}index.html` : path;
    let body: Uint8Array | null = null;
    if (hit !== undefined) body = typeof hit === 'string' ? readFileSync(hit) : hit;
    else {
      const file = normalize(join(DIST, name));
      if (file.startsWith(DIST) && existsSync(file) && statSync(file).isFile()) body = readFileSync(file);
    }
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  return { url, close: () => new Promise((r) => server.close(() => r())) };
}

/** Headless Chromium on a fresh profile (no cached shaders or GPU state from earlier runs). */
export async function launch(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'bertkit-web-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, acceptDownloads: true, viewport: { width: 1100, height: 800 } });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the backend status says `backend` is ready (or throws with the status text). */
export async function waitBackend(page: Page, backend: string): Promise<void> {
  await page.waitForFunction((b) => {
    const s = document.getElementById('backend-status');
    return s && (s.dataset.state === 'error' || (s.dataset.state === 'ready' && s.dataset.backend === b));
  }, backend, { timeout: 120_000 });
  const state = await page.getAttribute('#backend-status', 'data-state');
  if (state !== 'ready') throw new Error(`backend ${backend}: ${await page.textContent('#backend-status')}`);
}

/** Waits until the model panel shows a loaded model (or throws with its error). */
export async function waitModel(page: Page, name?: string): Promise<void> {
  await page.waitForFunction((n) => {
    const s = document.getElementById('model-status');
    return s && (s.dataset.state === 'error' || (s.dataset.state === 'ready' && (!n || (s.textContent ?? '').includes(n))));
  }, name ?? '', { timeout: 120_000 });
  if ((await page.getAttribute('#model-status', 'data-state')) !== 'ready') throw new Error(`model: ${await page.textContent('#model-status')}`);
}

export interface BrowserFill {
  /** Candidates' `token_str`. */
  tokens: string[];
  /** Candidates' `token` (ids). */
  ids: number[];
  scores: number[];
}

/** Runs fill-mask in the page and reads the candidates (first [MASK]) from the DOM. */
export async function runFillMask(page: Page, text: string): Promise<{ fills: BrowserFill[]; ms: number }> {
  await page.click('#tab-fill-mask');
  await page.fill('#fm-text', text);
  await page.evaluate(() => document.getElementById('fm-latency')?.remove());
  await page.click('#fm-run');
  await page.waitForSelector('#fm-latency, #fm-out .error', { timeout: 120_000 });
  const err = await page.$('#fm-out .error');
  if (err) throw new Error(`fill-mask: ${await err.textContent()}`);
  return page.evaluate(() => ({
    ms: Number(document.getElementById('fm-latency')!.dataset.ms),
    fills: [...document.querySelectorAll<HTMLElement>('.mask-card')].map((c) => {
      const cands = [...c.querySelectorAll<HTMLElement>('.cand')];
      return { tokens: cands.map((x) => x.dataset.tokenStr!), ids: cands.map((x) => Number(x.dataset.token)), scores: cands.map((x) => Number(x.dataset.score)) };
    }),
  }));
}

/** A 99-entry vocab.txt for the encoder fixtures (vocab_size 99): specials, the words the tests use, filler pieces. */
export function fixtureVocab(): string {
  const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'to', 'a', 'park', 'and', 'was', 'happy', '.', ',', 'it', 'he', 'she', 'went', 'home', '?'];
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...words];
  while (vocab.length < 99) vocab.push(`##${String.fromCharCode(97 + ((vocab.length - 25) % 26))}${vocab.length}`);
  return `${vocab.join('\n')}\n`;
}

/** The extra routes that serve fixture model `name` (e.g. 'qa') under /fixture-<name>/ with fixtureVocab(). */
export function fixtureRoutes(dir: string, prefix: string): Record<string, string | Uint8Array> {
  return { [`${prefix}config.json`]: join(dir, 'config.json'), [`${prefix}model.safetensors`]: join(dir, 'model.safetensors'), [`${prefix}vocab.txt`]: new TextEncoder().encode(fixtureVocab()) };
}
