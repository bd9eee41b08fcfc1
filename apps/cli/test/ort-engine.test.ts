// `--engine ort`: `bert fill-mask` and `bert predict` (every head kind) print what `--engine tfjs` (cpu) prints,
// numbers within 1e-4 and everything else equal, on the odd HF fixture checkpoints (copied beside a synthetic
// 99-token vocabulary); --threads without --engine ort is a usage error. Skipped, saying why, where
// onnxruntime-node cannot be imported.
import { importOnnxRuntime } from '@bertkit/onnx/node';
import { fixturePath, fixturesMissing } from '@bertkit/test-utils';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { capture, tempDir } from '../src/test-io.js';

const TOL = 1e-4;
const ortMissing = await importOnnxRuntime().then(
  () => null,
  (e: Error) => `onnxruntime-node cannot be imported (${e.message.slice(0, 80)}…): ORT engine tests skipped`,
);
const skip = fixturesMissing('encoder') ?? ortMissing;
const TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];

function withVocab(name: string): string {
  const dir = tempDir();
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(fixturePath('encoder', join('models/odd', name, f)), join(dir, f));
  writeFileSync(join(dir, 'vocab.txt'), TOKENS.join('\n') + '\n');
  return dir;
}

/** Max |a - b| over the numbers of two JSON values; anything else must be equal. */
function jsonDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length).toBe(b.length);
    return a.reduce((m: number, x, i) => Math.max(m, jsonDiff(x, b[i])), 0);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    return Object.keys(a).reduce((m, k) => Math.max(m, jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])), 0);
  }
  expect(a).toEqual(b);
  return 0;
}

async function jsonLines(argv: string[]): Promise<{ lines: unknown[]; err: string }> {
  const c = capture();
  expect(await runCli([...argv, '--backend', 'cpu'], c.io), c.err()).toBe(0);
  return { lines: c.out().trim().split('\n').map((l) => JSON.parse(l) as unknown), err: c.err() };
}

const CASES: [string, string[]][] = [
  ['pretraining', ['fill-mask', '--top-k', '5', '--json', 'w15 w79 [MASK] w59 w60 [MASK] w5', '[MASK] w20']],
  ['seqcls', ['predict', 'glue:sst2', 'w15 w79 w59', 'w20 w21\tw30 w31 w32']],
  ['tokcls', ['predict', 'conll', 'w15 w79 w59 w60', 'w20']],
  ['qa', ['predict', 'squad', '--context', 'w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20', 'w15 w16', 'w30']],
  ['mc', ['predict', 'swag', JSON.stringify({ context: 'w10 w11 w12', choices: ['w20 w21', 'w30', 'w40 w41 w42'] })]],
];

describe.skipIf(skip !== null)(`bert --engine ort equals --engine tfjs ${skip ?? ''}`, () => {
  for (const [name, argv] of CASES) {
    it(`${argv[0]} ${name}`, async () => {
      const dir = withVocab(name);
      const tfjs = await jsonLines([...argv, '--model', dir]);
      const ort = await jsonLines([...argv, '--model', dir, '--engine', 'ort', '--threads', '1']);
      expect(ort.err).toMatch(/engine: ort \(onnxruntime-node, 1 threads, head \w+\)/);
      const d = jsonDiff(ort.lines, tfjs.lines);
      console.log(`bert ${argv[0]} ${name}: max |ort - tfjs| = ${d.toExponential(1)}`);
      expect(d).toBeLessThan(TOL);
    });
  }
});

describe('--threads', () => {
  it('needs --engine ort', async () => {
    const c = capture();
    expect(await runCli(['fill-mask', '--model', tempDir(), '--backend', 'cpu', '--threads', '2', 'a [MASK]'], c.io)).not.toBe(0);
    expect(c.err()).toMatch(/--threads: expected --engine ort/);
  });
});
