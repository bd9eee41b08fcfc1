// Parity with HF transformers' BertForPreTraining, driven by ../shared/fixtures/encoder/manifest.json: gradients
// of the loss (grad[] cases), the parameters after 3 AdamW steps, and the MLM / NSP logits of the pretraining and
// mlm forward cases. Each test is named after its case, so new cases run without code changes.
import { initBackend, registerGradients, type BackendName } from '@bertkit/backend';
import { readSafetensors, toFloat32, type RawTensor } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { fixturePath, fixturesMissing, readManifest, type EncoderForwardCase } from '@bertkit/test-utils';
import { AdamW } from '@bertkit/training';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BertForPreTraining } from './pretraining-model.js';
import { fromHfInputs } from './pretraining-model-batch.js';

interface GradCase {
  name: string;
  model: string;
  inputs: string;
  golden: string;
  adamw: { steps: number; lr: number; betas: [number, number]; eps: number; weightDecay: number };
}
type ForwardCase = EncoderForwardCase;
interface Manifest {
  tolerance: { forward_abs: number; grad_rel: number };
  forward: ForwardCase[];
  grad: GradCase[];
}

const skip = fixturesMissing('encoder');
const manifest = readManifest<Manifest>('encoder');
const ZERO_GRAD = 'bert.encoder.layer.0.attention.self.key.bias'; // mathematically 0 (softmax shift invariance)

// cpu always; wasm too (its kernels differ: SIMD matmuls, no UnsortedSegmentSum — the backend ops cover both);
// webgpu where Dawn finds an adapter (llvmpipe will do): training there runs the fused kernels (fused forward
// ops with their backward passes, AdamW in one dispatch), which must meet the same tolerances.
const BACKENDS: BackendName[] = ['cpu', 'wasm', 'webgpu'];

/** Why the webgpu cases cannot run here, or null. */
async function webGpuUnavailable(): Promise<string | null> {
  try {
    await initBackend({ backend: 'webgpu' });
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}
const noWebGpu = skip ? null : await webGpuUnavailable();
if (noWebGpu) console.log(`webgpu parity cases skipped: ${noWebGpu}`);

const golden = (rel: string) => readSafetensors(new Uint8Array(readFileSync(fixturePath('encoder', rel)))).tensors;
const inputsOf = (rel: string) => fromHfInputs(JSON.parse(readFileSync(fixturePath('encoder', rel), 'utf8')));

async function load(rel: string, objective: 'mlm+nsp' | 'mlm'): Promise<BertForPreTraining> {
  return BertForPreTraining.fromCheckpoint(await loadModel(fixturePath('encoder', rel)), { objective });
}

/** Our variable in HF layout, as a flat Float32Array (an awaited read: WebGPU cannot read synchronously). */
async function hfValues(m: BertForPreTraining, name: string, t: tf.Tensor): Promise<Float32Array> {
  const hf = m.isTransposed(name) ? tf.transpose(t) : t.clone();
  try {
    return (await hf.data()) as Float32Array;
  } finally {
    hf.dispose();
  }
}

/** max |a - b| / max |golden| (and the max abs diff). */
function relErr(got: ArrayLike<number>, want: RawTensor): { rel: number; abs: number } {
  const w = toFloat32(want);
  expect(got.length).toBe(w.length);
  let abs = 0;
  let scale = 0;
  for (let i = 0; i < w.length; i++) {
    abs = Math.max(abs, Math.abs(got[i] - w[i]));
    scale = Math.max(scale, Math.abs(w[i]));
  }
  return { rel: scale > 0 ? abs / scale : abs, abs };
}

const report = (name: string, rows: Record<string, number>) =>
  console.log(`${name}: ${Object.entries(rows).map(([k, v]) => `${k}=${v.toExponential(2)}`).join(' ')}`);

for (const backend of BACKENDS) {
  describe.skipIf(skip || (backend === 'webgpu' && noWebGpu !== null))(`parity on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
      expect(registerGradients()).toBe(true);
    });

  describe('BertForPreTraining gradient parity (HF goldens)', () => {
    for (const c of manifest?.grad ?? []) {
      it(c.name, async () => {
        const tol = manifest!.tolerance.grad_rel;
        const g = golden(c.golden);
        const batch = inputsOf(c.inputs);
        const m = await load(c.model, 'mlm+nsp');
        const params = m.parameters();
        const tfToHf = new Map([...params].map(([k, v]) => [v.name, k]));
        const n0 = tf.memory().numTensors;
        let kept: tf.Scalar[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const out = m.loss(batch);
          kept = [tf.keep(out.metrics.mlmLoss), tf.keep(out.metrics.nspLoss!)];
          return out.loss;
        }, [...params.values()]);
        const parts = await Promise.all(kept.map(async (t) => (await t.data())[0]));
        tf.dispose(kept);
        const errs: Record<string, number> = {};
        for (const [k, got] of [['loss', (await value.data())[0]], ['mlm_loss', parts[0]], ['nsp_loss', parts[1]]] as const) {
          const want = toFloat32(g.get(k)!)[0];
          errs[k] = Math.abs(got - want) / Math.abs(want);
          expect(errs[k], k).toBeLessThanOrEqual(tol);
        }
        const byName = new Map(Object.entries(grads).map(([tfName, t]) => [tfToHf.get(tfName)!, t]));
        let worst = 0;
        let count = 0;
        for (const key of g.keys()) {
          if (!key.startsWith('grad.')) continue;
          const name = key.slice(5);
          const t = byName.get(name);
          expect(t, `gradient of ${name}`).toBeDefined();
          const e = relErr(await hfValues(m, name, t!), g.get(key)!);
          count++;
          if (name === ZERO_GRAD) {
            errs.keyBiasAbs = e.abs;
            expect(e.abs, name).toBeLessThanOrEqual(1e-6);
          } else {
            worst = Math.max(worst, e.rel);
            expect(e.rel, name).toBeLessThanOrEqual(tol);
          }
        }
        errs.gradWorstRel = worst;
        expect(count).toBe(23);
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors).toBe(n0);
  
        // 3 AdamW steps on the same batch (torch.optim.AdamW, no clipping, constant lr), then the parameters.
        const a = c.adamw;
        const opt = new AdamW({ beta1: a.betas[0], beta2: a.betas[1], eps: a.eps, weightDecay: a.weightDecay });
        const losses: number[] = [];
        for (let s = 0; s <= a.steps; s++) {
          const r = tf.variableGrads(() => m.loss(batch).loss, [...params.values()]);
          losses.push((await r.value.data())[0]);
          if (s < a.steps) opt.step(params, new Map(Object.entries(r.grads).map(([k, t]) => [tfToHf.get(k)!, t])), a.lr);
          tf.dispose([r.value, ...Object.values(r.grads)]);
        }
        const wantLosses = toFloat32(g.get('adamw.losses')!);
        errs.adamwLossesRel = Math.max(...losses.map((l, i) => Math.abs(l - wantLosses[i]) / Math.abs(wantLosses[i])));
        expect(errs.adamwLossesRel).toBeLessThanOrEqual(tol);
        let worstParam = 0;
        let nParams = 0;
        for (const key of g.keys()) {
          if (!key.startsWith('adamw.param.')) continue;
          const name = key.slice('adamw.param.'.length);
          const v = params.get(name);
          expect(v, `parameter ${name}`).toBeDefined();
          const e = relErr(await hfValues(m, name, v!), g.get(key)!);
          worstParam = Math.max(worstParam, e.rel);
          nParams++;
          expect(e.rel, name).toBeLessThanOrEqual(tol);
        }
        errs.adamwParamWorstRel = worstParam;
        expect(nParams).toBeGreaterThan(0);
        report(`${backend} ${c.name}`, errs);
        opt.dispose();
        m.dispose();
      });
    }
  });
  
  describe('BertForPreTraining / BertForMaskedLM logits parity (HF goldens)', () => {
    for (const c of (manifest?.forward ?? []).filter((f) => f.head === 'pretraining' || f.head === 'mlm')) {
      it(c.name, async () => {
        const tol = manifest!.tolerance.forward_abs;
        const g = golden(c.golden);
        const m = await load(c.model, c.head === 'pretraining' ? 'mlm+nsp' : 'mlm');
        const out = m.forwardAll(inputsOf(c.inputs));
        const errs: Record<string, number> = {};
        errs.mlm_logits = relErr(await out.mlmLogits.data(), g.get('mlm_logits')!).abs;
        expect(out.mlmLogits.shape).toEqual(g.get('mlm_logits')!.shape);
        expect(errs.mlm_logits).toBeLessThanOrEqual(tol);
        if (c.head === 'pretraining') {
          errs.nsp_logits = relErr(await out.nspLogits!.data(), g.get('nsp_logits')!).abs;
          expect(errs.nsp_logits).toBeLessThanOrEqual(tol);
        } else {
          expect(out.nspLogits).toBeNull();
        }
        report(`${backend} ${c.name}`, errs);
        tf.dispose(out.nspLogits ? [out.mlmLogits, out.nspLogits] : [out.mlmLogits]);
        m.dispose();
      });
    }
  });
  });
}
