import { initBackend } from './dist/index.node.js';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
const c = await initBackend({ backend: 'wasm', wasmThreads: Number(process.argv[2] ?? 2) });
console.log(c.backend, 'threads', wasm.getThreadsCount());
const a = tf.randomNormal([1024, 1024]);
for (let i = 0; i < 2; i++) { const x = tf.matMul(a, a); await x.data(); x.dispose(); }
const t = Date.now(); for (let i = 0; i < 5; i++) { const x = tf.matMul(a, a); await x.data(); x.dispose(); }
console.log('matmul ms', (Date.now() - t) / 5);
console.log('PThread' in tf.backend().wasm, Object.keys(tf.backend().wasm.PThread ?? {}).slice(0,5), tf.backend().wasm.PThread?.unusedWorkers?.length, tf.backend().wasm.PThread?.runningWorkers?.length);
