// pnpm bench: time of a matMul's forward + gradient on cpu and wasm, through this package's matMul (explicit
// transposes) and through tf.matMul's own gradient (transposeA/transposeB products), at BERT-mini-like shapes.
// Prints medians and ratios measured in the same run, with the machine. Not a test: no assertion on time.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, matMul } from '@bertkit/backend';

const REPS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(f: () => tf.Tensor[]): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < REPS + 1; i++) {
    const t0 = performance.now();
    const out = f();
    await Promise.all(out.map((t) => t.data()));
    const dt = performance.now() - t0;
    tf.dispose(out);
    if (i > 0) ms.push(dt); // first run: warm-up (kernel compilation, allocation)
  }
  return median(ms);
}

interface Shape {
  name: string;
  a: number[];
  b: number[];
}

const SHAPES: Shape[] = [
  { name: 'dense [1024,256]x[256,1024] (B8 T128 H256 → FFN)', a: [1024, 256], b: [256, 1024] },
  { name: 'scores [8,4,128,64]x[8,4,64,128] (B8 A4 T128 d64)', a: [8, 4, 128, 64], b: [8, 4, 64, 128] },
];

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length} cores, Node ${process.version}, median of ${REPS}`);
  await initBackend({ backend: 'cpu' });
  await initBackend({ backend: 'wasm' });
  const rows: Record<string, Record<string, number>> = {};
  for (const s of SHAPES) {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const a = tf.randomNormal(s.a, 0, 1, 'float32', 1);
      const b = tf.randomNormal(s.b, 0, 1, 'float32', 2);
      const fwd = await time(() => [tf.matMul(a, b)]);
      const ours = await time(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(matMul(x, y)))([a, b]));
      const theirs = await time(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, b]));
      rows[`${s.name} ${backend}`] = { fwd, ours, theirs };
      tf.dispose([a, b]);
    }
  }
  console.log('shape | backend | forward ms | fwd+grad ms (bertkit matMul) | fwd+grad ms (tf.matMul grad) | tf/bertkit');
  for (const s of SHAPES) {
    for (const backend of ['cpu', 'wasm']) {
      const r = rows[`${s.name} ${backend}`];
      console.log(`${s.name} | ${backend} | ${r.fwd.toFixed(1)} | ${r.ours.toFixed(1)} | ${r.theirs.toFixed(1)} | ${(r.theirs / r.ours).toFixed(2)}x`);
    }
    const c = rows[`${s.name} cpu`];
    const w = rows[`${s.name} wasm`];
    console.log(`  wasm speed-up over cpu, fwd+grad with bertkit matMul: ${(c.ours / w.ours).toFixed(2)}x; forward: ${(c.fwd / w.fwd).toFixed(2)}x`);
  }
}

await main();
