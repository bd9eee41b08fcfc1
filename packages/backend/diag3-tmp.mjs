import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { runBench } from '../bench/dist/index.js';
let n = 0;
const orig = WebGPUBackend.prototype.runWebGPUProgram;
WebGPUBackend.prototype.runWebGPUProgram = function (...a) { n += 1; return orig.apply(this, a); };
const steps = Number(process.argv[2] ?? 3);
const r = await runBench({ preset: 'tiny', task: 'train', batch: 8, seq: 128, steps, backend: 'webgpu' });
console.log(`steps ${steps} (+${r.warmup ?? '?'} warm-up): ${n} programs in the whole run; bench says ${r.dispatches_per_step}/step`);
