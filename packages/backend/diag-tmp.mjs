import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { runBench } from '../bench/dist/index.js';
const want = new Set(process.argv.slice(3));
let counts = new Map();
const orig = WebGPUBackend.prototype.runWebGPUProgram;
WebGPUBackend.prototype.runWebGPUProgram = function (program, ...rest) {
  const name = program.constructor.name;
  let k = name;
  if (want.has(name)) {
    const st = new Error().stack.split('\n').slice(2).filter(l => !l.includes('tfjs-core') && !l.includes('tfjs-backend-webgpu') && !l.includes('node:internal') && !l.includes('runWebGPUProgram') && !l.includes('bench/dist')).slice(0, 3).map(l => l.trim().replace(/\(.*\/(packages\/[^)]*)\)/, '$1').replace('file:///work/main/','')).join(' < ');
    k = name + ' | ' + st;
  }
  counts.set(k, (counts.get(k) ?? 0) + 1);
  return orig.call(this, program, ...rest);
};
const task = process.argv[2] ?? 'train';
const opts = { preset: 'tiny', task, batch: 8, seq: 128, warmup: 1, backend: 'webgpu' };
await runBench({ ...opts, steps: 1 });
const a = counts; counts = new Map();
const r = await runBench({ ...opts, steps: 3 });
const b = counts;
console.log(r.dispatches_per_step, 'dispatches/step (bench)');
const diff = new Map(); let tot = 0;
for (const [k, v] of b) { const d = (v - (a.get(k) ?? 0)) / 2; if (d) { diff.set(k, d); tot += d; } }
console.log('programs per steady step', tot);
for (const [k, v] of [...diff].sort((x, y) => y[1] - x[1])) console.log(String(v).padStart(6), k);
