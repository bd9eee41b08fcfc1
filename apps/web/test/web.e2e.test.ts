// End-to-end: the built app in headless Chromium against the Node library on the same checkpoint. Fill-mask on
// wasm and on WebGPU (SwiftShader here) must give the top tokens and scores the Node library gives; a few
// training steps must lower the loss; the downloaded HF files must load back (in the page and in Node).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@bertkit/backend';
import { answerQuestion, chooseEnding, fillMask, maskedLmOf } from '@bertkit/heads';
import { loadBert, loadTaskModel } from '@bertkit/heads/node';
import { fixturePath, fixturesMissing } from '@bertkit/test-utils';
import { BertTokenizer } from '@bertkit/tokenizer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromiumMissing, fixtureRoutes, fixtureVocab, launch, runFillMask, serve, waitBackend, waitModel, type BrowserFill } from './harness';

const MODEL = 'models/odd/pretraining';
const fixtureGone = fixturesMissing(`encoder/${MODEL}`);
const skip = chromiumMissing ?? fixtureGone;
if (skip) console.warn(skip);

const VOCAB_TXT = fixtureVocab();
const TEXT = 'the cat [MASK] on the mat . the dog [MASK] to a park .';
const CORPUS = Array.from({ length: 6 }, (_, d) =>
  ['the cat sat on the mat .', 'the dog ran to a park .', 'she went home and it was happy .', 'he sat on the mat , and the cat ran .'].map((s, i) => (i + d) % 2 ? s : s.replace('cat', 'dog')).join('\n'),
).join('\n\n');

/** Fill-mask in Node as `bert fill-mask --model <dir>` runs it (the one loader; tokenizer files from `tokenizerDir`). */
async function nodeFill(dir: string, tokenizerDir = dir, text = TEXT): Promise<BrowserFill[]> {
  await initBackend({ backend: 'cpu' });
  const loaded = await loadBert(dir, { tokenizerDir });
  try {
    const fills = await fillMask(maskedLmOf(loaded), loaded.tokenizer, text, { topK: 5 });
    return fills.map((f) => ({ tokens: f.candidates.map((c) => c.token_str), ids: f.candidates.map((c) => c.token), scores: f.candidates.map((c) => c.score) }));
  } finally {
    loaded.dispose();
  }
}

function expectSame(got: BrowserFill[], want: BrowserFill[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.tokens).toEqual(want[i].tokens);
    expect(g.ids).toEqual(want[i].ids);
    g.scores.forEach((s, k) => expect(Math.abs(s - want[i].scores[k])).toBeLessThanOrEqual(tol));
  });
}

describe.skipIf(skip)('web demo in headless Chromium (built app)', () => {
  let page: Page;
  let reference: BrowserFill[];
  let closeServer: () => Promise<void>;
  let closeBrowser: () => Promise<void>;
  let baseUrl: string;
  const downloads = mkdtempSync(join(tmpdir(), 'bertkit-web-dl-'));
  const vocabDir = mkdtempSync(join(tmpdir(), 'bertkit-web-vocab-'));

  beforeAll(async () => {
    const dir = fixturePath('encoder', MODEL);
    writeFileSync(join(vocabDir, 'vocab.txt'), VOCAB_TXT);
    reference = await nodeFill(dir, vocabDir);
    const s = await serve(fixtureRoutes(dir, '/fixture/'));
    closeServer = s.close;
    baseUrl = s.url;
    const b = await launch();
    closeBrowser = b.close;
    page = await b.context.newPage();
    await page.goto(`${s.url}?backend=wasm&model=fixture/&view=fill-mask`);
    await waitBackend(page, 'wasm');
    await waitModel(page, 'fixture');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await closeServer?.();
    rmSync(downloads, { recursive: true, force: true });
    rmSync(vocabDir, { recursive: true, force: true });
  });

  test("backend 'auto' is the library's default: a real GPU or else wasm, and the status says why WebGPU was not used", async () => {
    const p = await page.context().newPage();
    try {
      await p.goto(`${baseUrl}?model=fixture/&view=tokenizer`);
      await p.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('backend-status')?.dataset.state ?? ''), undefined, { timeout: 120_000 });
      const st = await p.$eval('#backend-status', (s) => ({ ...(s as HTMLElement).dataset, text: s.textContent ?? '' }) as Record<string, string | undefined>);
      expect(st.state).toBe('ready');
      expect(st.pick).toBe('auto');
      expect(st.text).toContain('auto → ');
      if (st.backend === 'webgpu') expect(st.software).toBe('false'); // a software adapter is never the default
      else {
        expect(st.backend).toBe('wasm');
        expect(st.webgpuSkipped).toBeTruthy();
        expect(st.text).toContain(`WebGPU not used: ${st.webgpuSkipped}`);
      }
    } finally {
      await p.close();
    }
  });

  test('with no ?model the page loads the shipped English model (models/english) and fills masks as the Node library does', async () => {
    const shipped = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'english');
    const text = 'she opened the [MASK] and walked into the garden .';
    const want = await nodeFill(shipped, shipped, text);
    const p = await page.context().newPage();
    try {
      await p.goto(`${baseUrl}?backend=wasm&view=fill-mask`);
      await waitModel(p, 'english (shipped)');
      expect(await p.textContent('#model-status')).toMatch(/pre-trained on English books.*vocab 8000/);
      const { fills } = await runFillMask(p, text);
      expectSame(fills, want, 1e-5);
    } finally {
      await p.close();
    }
  });

  test('fill-mask on wasm: same top-5 tokens and scores as the Node library', async () => {
    const { fills } = await runFillMask(page, TEXT);
    expectSame(fills, reference, 1e-5);
  });

  test('fill-mask on WebGPU (SwiftShader): same top-5 tokens, scores within 1e-4', async () => {
    await page.selectOption('#backend', 'webgpu');
    await waitBackend(page, 'webgpu');
    await waitModel(page, 'fixture');
    expect(await page.textContent('#backend-status')).toContain('WebGPU on');
    // named, a software adapter (SwiftShader here) is used, and the library's notice says so
    if ((await page.getAttribute('#backend-status', 'data-software')) === 'true') expect(await page.textContent('#backend-status')).toMatch(/using the software adapter/);
    const { fills } = await runFillMask(page, TEXT);
    expectSame(fills, reference, 1e-4);
  });

  test('a model URL that is not there is reported in words, and the loaded model stays', async () => {
    await page.fill('#model-url', 'no-such-model/');
    await page.click('#load-url');
    await page.waitForSelector('#model-status .error');
    expect(await page.textContent('#model-status .error')).toMatch(/no-such-model\/config\.json: expected HTTP 200, got 404/);
    await page.click('#tab-fill-mask');
    expect(await page.$('#fm-run')).not.toBeNull();
  });

  async function trainInPage(): Promise<number[]> {
    await page.click('#tab-train');
    await page.fill('#train-text', CORPUS);
    for (const [id, v] of [['layers', 1], ['hidden', 32], ['heads', 2], ['steps', 12], ['batch', 4], ['seq', 24], ['lr', 0.005]] as const) await page.fill(`#train-${id}`, String(v));
    await page.click('#train-start');
    await page.waitForSelector('#train-download, #train-out .error', { timeout: 150_000 });
    expect(await page.$('#train-out .error')).toBeNull();
    return JSON.parse((await page.getAttribute('#train-chart', 'data-losses'))!) as number[];
  }

  test('12 MLM + NSP steps on WebGPU and on wasm: the loss falls, both backends log the same losses; the HF files download and load back', async () => {
    const onGpu = await trainInPage(); // still on webgpu from the previous test
    await page.selectOption('#backend', 'wasm');
    await waitBackend(page, 'wasm');
    const losses = await trainInPage();
    expect(losses).toHaveLength(12);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-3))).toBeLessThan(mean(losses.slice(0, 3)) - 0.1);
    onGpu.forEach((l, i) => expect(Math.abs(l - losses[i])).toBeLessThanOrEqual(1e-3));

    const names: string[] = [];
    const got = new Promise<void>((resolve) => {
      page.on('download', async (d) => {
        await d.saveAs(join(downloads, d.suggestedFilename()));
        names.push(d.suggestedFilename());
        if (names.length === 3) resolve();
      });
    });
    await page.click('#train-download');
    await got;
    expect(names.sort()).toEqual(['config.json', 'model.safetensors', 'vocab.txt']);

    // back in the page, from the files as a user would drop them
    await page.setInputFiles('#model-files', names.map((n) => join(downloads, n)));
    await waitModel(page, 'local files');
    const { fills } = await runFillMask(page, TEXT);
    // and in Node with the library, as `bert fill-mask --model <dir>` would
    expectSame(fills, await nodeFill(downloads), 1e-5);
  });
});

describe.skipIf(skip)('web demo: task heads', () => {
  test('QA checkpoint: the Tasks view gives the answer and score of the Node library', async () => {
    const dir = fixturePath('encoder', 'models/odd/qa');
    const question = 'the dog ran to ?';
    const context = 'the cat sat on the mat . the dog ran to a park and it was happy .';
    await initBackend({ backend: 'cpu' });
    const model = await loadTaskModel(dir);
    const want = await answerQuestion(model, BertTokenizer.fromVocab(VOCAB_TXT), question, context);
    model.dispose();
    const s = await serve(fixtureRoutes(dir, '/fixture-qa/'));
    const b = await launch();
    try {
      const page = await b.context.newPage();
      await page.goto(`${s.url}?backend=wasm&model=fixture-qa/&view=tasks`);
      await waitBackend(page, 'wasm');
      await waitModel(page, 'fixture-qa');
      await page.fill('#qa-q', question);
      await page.fill('#qa-c', context);
      await page.click('#task-run');
      await page.waitForSelector('#qa-result');
      expect(await page.getAttribute('#qa-result', 'data-answer')).toBe(want.answer);
      expect(Math.abs(Number(await page.getAttribute('#qa-result', 'data-score')) - want.score)).toBeLessThanOrEqual(1e-5);
    } finally {
      await b.close();
      await s.close();
    }
  });

  test('multiple-choice checkpoint: the Tasks view scores each choice as the Node library does', async () => {
    const dir = fixturePath('encoder', 'models/odd/mc');
    const context = 'the cat sat on the';
    const choices = ['mat .', 'dog ran .', 'park and it was happy .'];
    await initBackend({ backend: 'cpu' });
    const model = await loadTaskModel(dir);
    const want = await chooseEnding(model, BertTokenizer.fromVocab(VOCAB_TXT), context, choices);
    model.dispose();
    const s = await serve(fixtureRoutes(dir, '/fixture-mc/'));
    const b = await launch();
    try {
      const page = await b.context.newPage();
      await page.goto(`${s.url}?backend=wasm&model=fixture-mc/&view=tasks`);
      await waitBackend(page, 'wasm');
      await waitModel(page, 'fixture-mc');
      await page.fill('#mc-context', context);
      await page.fill('#mc-choices', choices.join('\n'));
      await page.click('#task-run');
      await page.waitForSelector('[data-choice="2"]');
      for (let i = 0; i < choices.length; i++) {
        const got = Number(await page.getAttribute(`[data-choice="${i}"]`, 'data-score'));
        expect(Math.abs(got - want.scores[i])).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      await b.close();
      await s.close();
    }
  });

  test('fine-tune view: a classifier trained on a labelled list fits it, and loads into the Tasks view', async () => {
    const s = await serve(fixtureRoutes(fixturePath('encoder', MODEL), '/fixture/'));
    const b = await launch();
    try {
      const page = await b.context.newPage();
      await page.goto(`${s.url}?backend=wasm&model=fixture/&view=finetune`);
      await waitBackend(page, 'wasm');
      await waitModel(page, 'fixture');
      const list = ['yes | the cat was happy', 'yes | she was happy', 'yes | the dog was happy', 'no | the cat sat on the mat', 'no | he went home', 'no | the dog ran to a park'];
      await page.fill('#ft-text', list.join('\n'));
      await page.fill('#ft-steps', '30');
      await page.fill('#ft-lr', '0.002');
      await page.click('#ft-run');
      await page.waitForSelector('#ft-acc, #ft-out .error', { timeout: 120_000 });
      expect(await page.$('#ft-out .error')).toBeNull();
      const losses = JSON.parse((await page.getAttribute('#ft-chart', 'data-losses'))!) as number[];
      expect(losses.at(-1)!).toBeLessThan(losses[0]);
      expect(Number(await page.getAttribute('#ft-acc', 'data-after'))).toBe(1);
      await page.click('#ft-use');
      await page.click('#tab-tasks');
      await page.fill('#cls-text', 'the cat was happy');
      await page.click('#task-run');
      await page.waitForSelector('#task-out .cand');
      expect(await page.getAttribute('#task-out .cand', 'data-label')).toBe('yes');
    } finally {
      await b.close();
      await s.close();
    }
  });
});
