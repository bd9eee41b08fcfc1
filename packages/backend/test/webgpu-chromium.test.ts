// Smoke test of the browser path: a page bundled from src/ (esbuild, platform 'browser') runs
// initBackend({ backend: 'webgpu' }) and a matMul with its gradient in headless Chromium (SwiftShader WebGPU on a
// machine without a GPU). Kept tiny: SwiftShader is correct but slow. Run alone with
// `pnpm exec vitest run test/webgpu-chromium.test.ts`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const CHROMIUM = process.env.BERTKIT_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found (apt-get install chromium, or set BERTKIT_CHROMIUM): browser WebGPU smoke test skipped`;
if (skip) console.warn(skip);

const FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

describe.skipIf(skip)('WebGPU in headless Chromium', () => {
  let server: Server;
  let browser: BrowserContext;
  let profile: string;
  let url = '';

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./chromium-page.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0].text;
    const html = '<!doctype html><meta charset="utf-8"><script src="/page.js"></script>';
    server = createServer((req, res) => {
      const isJs = req.url === '/page.js';
      res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
      res.end(isJs ? js : html);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    profile = mkdtempSync(join(tmpdir(), 'bertkit-chromium-'));
    // a fresh profile each run: no cached shaders or GPU blocklist state from an earlier run
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('initBackend({ backend: "webgpu" }) chooses webgpu (a preference list skips SwiftShader); matMul and its gradient give the exact values', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 90_000 });
    const r = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
      backend?: string;
      adapter?: { software?: boolean };
      notice?: string;
      skippedByDefault?: string;
      value?: number[];
      gradA?: number[];
      error?: string;
    };
    console.log(`chromium: ${JSON.stringify(r)}`);
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe('webgpu');
    if (r.adapter?.software) {
      expect(r.notice).toMatch(/^webgpu: using the software adapter '.+' \(no GPU\)/);
      expect(r.skippedByDefault).toMatch(/^skipped software adapter '.+': name webgpu explicitly/);
    }
    // [[1,2,3],[4,5,6]] · [[0.5,-1],[2,0.25],[-3,1.5]]
    const expected = [1 * 0.5 + 2 * 2 + 3 * -3, 1 * -1 + 2 * 0.25 + 3 * 1.5, 4 * 0.5 + 5 * 2 + 6 * -3, 4 * -1 + 5 * 0.25 + 6 * 1.5];
    // d/dA sum(W ⊙ (A·B)) = W · Bᵀ with W = [[1,2],[3,4]]
    const gradA = [1 * 0.5 + 2 * -1, 1 * 2 + 2 * 0.25, 1 * -3 + 2 * 1.5, 3 * 0.5 + 4 * -1, 3 * 2 + 4 * 0.25, 3 * -3 + 4 * 1.5];
    r.value?.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    r.gradA?.forEach((v, i) => expect(v).toBeCloseTo(gradA[i], 4));
    expect(r.value).toHaveLength(4);
    expect(r.gradA).toHaveLength(6);
  });
});
