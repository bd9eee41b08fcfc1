// The CLI's entry points on every backend (issue 10), on HF fixture checkpoints: `bert predict` gives HF's softmax
// scores (golden seqcls_logits) and `bert fill-mask --json` the library's probabilities (checked against HF's
// mlm_logits in heads' matrix), on cpu and wasm (≤ 1e-5) and WebGPU (≤ 1e-4; named explicitly: Dawn on llvmpipe).
import { initBackend } from '@bertkit/backend';
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillMask, maskedLmOf } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { runCli } from '../src/cli.js';
import { capture, tempDir } from '../src/test-io.js';

const manifest = readManifest<{ forward: EncoderForwardCase[] }>('encoder');
const skip = fixturesMissing('encoder');
const TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...Array.from({ length: 94 }, (_, i) => `w${i + 5}`)];

/** A fixture checkpoint copied beside the synthetic vocabulary its ids come from. */
function withVocab(c: EncoderForwardCase): string {
  const dir = tempDir();
  for (const f of ['config.json', 'model.safetensors']) copyFileSync(fixturePath('encoder', join(c.model, f)), join(dir, f));
  writeFileSync(join(dir, 'vocab.txt'), TOKENS.join('\n') + '\n');
  return dir;
}
const softmax = (x: number[]) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

const webgpu = skip ?? (await initBackend({ backend: 'webgpu' }).then(() => null, (e: Error) => `no WebGPU adapter here (${e.message})`));
await initBackend({ backend: 'cpu' });

for (const [backend, tol, why] of [['cpu', 1e-5, skip], ['wasm', 1e-5, skip], ['webgpu', 1e-4, webgpu]] as const) {
  describe.skipIf(why !== null)(`bert CLI on ${backend} ${why ?? ''}`, () => {
    it('fill-mask --json equals the library on cpu (itself checked against HF in heads)', async () => {
      const c = manifest!.forward.find((x) => x.name === 'odd-mlm')!;
      const dir = withVocab(c);
      const text = 'w15 w79 [MASK] w59 w60 [MASK] w5';
      await initBackend({ backend: 'cpu' });
      const loaded = await loadBert(dir);
      const want = await fillMask(maskedLmOf(loaded), loaded.tokenizer, text, { topK: 5 });
      loaded.dispose();
      const out = capture();
      expect(await runCli(['fill-mask', '--model', dir, '--backend', backend, '--top-k', '5', '--json', text], out.io), out.err()).toBe(0);
      expect(out.err()).toMatch(new RegExp(`^backend: ${backend}`));
      const r = JSON.parse(out.out()) as { masks: { position: number; candidates: { score: number; token: number }[] }[] };
      expect(r.masks.map((m) => m.position)).toEqual(want.map((m) => m.position));
      let d = 0;
      r.masks.forEach((m, i) => {
        expect(m.candidates[0].token).toBe(want[i].candidates[0].token);
        m.candidates.forEach((x, j) => (d = Math.max(d, Math.abs(x.score - want[i].candidates[j].score))));
      });
      console.log(`bert fill-mask on ${backend}: max abs diff from cpu ${d.toExponential(2)}`);
      expect(d).toBeLessThanOrEqual(tol);
    });

    it('predict sequence-classification gives softmax(HF seqcls_logits)', async () => {
      const c = manifest!.forward.find((x) => x.name === 'odd-seqcls')!;
      const dir = withVocab(c);
      const inputs = JSON.parse(readFileSync(fixturePath('encoder', c.inputs), 'utf8')) as Record<string, number[][]>;
      const golden = readSafetensors(readFileSync(fixturePath('encoder', c.golden))).tensors;
      const n = inputs.attention_mask[0].reduce((a, b) => a + b, 0);
      const ids = inputs.input_ids[0].slice(0, n);
      const sep = ids.indexOf(2);
      const a = ids.slice(1, sep).map((id) => TOKENS[id]).join(' ');
      const b = sep === n - 1 ? null : ids.slice(sep + 1, n - 1).map((id) => TOKENS[id]).join(' ');
      const out = capture();
      expect(await runCli(['predict', 'glue:sst2', '--model', dir, '--backend', backend, b === null ? a : `${a}\t${b}`], out.io), out.err()).toBe(0);
      const p = JSON.parse(out.out()) as { scores: Record<string, number> };
      const logits = golden.get('seqcls_logits')!;
      const want = softmax(Array.from(toFloat32(logits).subarray(0, logits.shape[1])));
      expect(Math.max(...Object.values(p.scores).map((s, i) => Math.abs(s - want[i])))).toBeLessThanOrEqual(tol);
    });
  });
}
