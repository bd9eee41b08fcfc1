import * as tf from '@tensorflow/tfjs-core';
import { runBench } from '../bench/dist/index.js';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
const want = new Set(process.argv.slice(3));
const sites = new Map();
let on = false;
const orig = WebGPUBackend.prototype.runWebGPUProgram;
WebGPUBackend.prototype.runWebGPUProgram = function (program, ...rest) {
  const name = program.constructor.name;
  if (on && want.has(name)) {
    const st = new Error().stack.split('\n').slice(2).filter(l => !l.includes('tfjs-core') && !l.includes('tfjs-backend-webgpu') && !l.includes('node:internal')).slice(0, 3).map(l => l.trim().replace(/\(.*\/(packages\/[^)]*)\)/, '$1')).join(' < ');
    const k = name + ' | ' + st; sites.set(k, (sites.get(k) ?? 0) + 1);
  }
  return orig.call(this, program, ...rest);
};
on = true;
await runBench({ preset: 'tiny', task: process.argv[2] ?? 'train', batch: 8, seq: 128, steps: 1, warmup: 1, backend: 'webgpu' });
for (const [k, v] of [...sites].sort((a, b) => b[1] - a[1])) console.log(String(v / 2).padStart(6), k);
