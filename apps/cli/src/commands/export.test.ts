// `bert export onnx` on an HF fixture checkpoint: the folder transformers.js loads, and ONNX Runtime on the
// exported graph gives HF's logits (the onnx package's own tests cover every head; this checks the wiring).
import { createOrtEncoder } from '@bertkit/onnx/node';
import { readSafetensors, toFloat32 } from '@bertkit/encoder';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { capture, tempDir } from '../test-io.js';

const manifest = readManifest<{ forward: EncoderForwardCase[] }>('encoder');
const seqcls = manifest?.forward.find((c) => c.name === 'odd-seqcls');

describe.skipIf(fixturesMissing('encoder') !== null || !seqcls)(`bert export onnx (${fixturesMissing('encoder') ?? 'odd-seqcls'})`, () => {
  it('writes onnx/model.onnx + config.json whose logits in ONNX Runtime equal HF within 1e-4', async () => {
    const out = tempDir();
    const c = capture();
    expect(await runCli(['export', 'onnx', '--model', fixturePath('encoder', seqcls!.model), '--out', out], c.io)).toBe(0);
    expect(c.out()).toMatch(/\(seqcls\) to .*onnx\/model\.onnx/);
    expect(existsSync(join(out, 'config.json'))).toBe(true);
    const inputs = JSON.parse(readFileSync(fixturePath('encoder', seqcls!.inputs), 'utf8')) as Record<string, number[][]>;
    const shape = [inputs.input_ids.length, inputs.input_ids[0].length];
    const ort = await createOrtEncoder(join(out, 'onnx', 'model.onnx'), { threads: 1 });
    try {
      const r = await ort.run({ inputIds: inputs.input_ids.flat(), attentionMask: inputs.attention_mask.flat(), tokenTypeIds: inputs.token_type_ids.flat() }, shape);
      const want = toFloat32(readSafetensors(readFileSync(fixturePath('encoder', seqcls!.golden))).tensors.get('seqcls_logits')!);
      expect(r.logits.data.length).toBe(want.length);
      expect(Math.max(...Array.from(want, (w, i) => Math.abs(w - r.logits.data[i])))).toBeLessThan(1e-4);
    } finally {
      await ort.dispose();
    }
    const bad = capture();
    expect(await runCli(['export', 'tflite', '--model', 'x', '--out', out], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/format: expected 'onnx', got 'tflite'/);
  });
});
