import { describe, expect, it } from 'vitest';
import { benchJsonLine, formatBench } from './format.js';
import type { BenchResult } from './run-bench.js';

const result: BenchResult = {
  preset: 'tiny', task: 'train', engine: 'tfjs', backend: 'webgpu', adapter: 'nvidia ampere, core', batch: 32, seq: 128, steps: 3, warmup: 1,
  ms_per_step_median: 1234.567, ms_per_step_min: 1200, ms_per_step_max: 1300.123, ms_per_step: [1200, 1234.567, 1300.123],
  tokens_per_s: (32 * 128) / 1.234567, kernels_per_step: 2257, dispatches_per_step: 1800, readbacks_per_step: 3,
  submits_per_step: 90, pipelines_created: 0, submit_ms_per_step: 12.34, readback_wait_ms_per_step: 1000, peak_rss_mb: 812, params: 4433468, loss: 10.85816, machine: 'Node v20, X × 2',
};

describe('formatBench', () => {
  it('prints the step time, throughput, GPU work and memory', () => {
    expect(formatBench(result)).toBe(
      [
        'train tiny  batch 32 × seq 128  on webgpu (nvidia ampere, core)',
        '  1234.6 ms/step median (min 1200.0, max 1300.1, 3 steps after 1 warm-up)  3,318 tokens/s',
        '  2257 kernels/step, 1800 dispatches/step, 3 read-backs/step, 90 submits/step',
        '  host: 12.3 ms in submit, 1000.0 ms waiting on read-backs, 222.2 ms recording and encoding (per step, medians)',
        '  4.43 M params, last loss 10.8582, peak RSS 812 MB',
        '  Node v20, X × 2',
      ].join('\n'),
    );
  });

  it('names the ort engine and leaves out tfjs kernel counts there', () => {
    const { dispatches_per_step: _d, readbacks_per_step: _r, submits_per_step: _s, pipelines_created: _p, submit_ms_per_step: _sm, readback_wait_ms_per_step: _rw, ...rest } = result;
    const text = formatBench({ ...rest, engine: 'ort', backend: 'cpu', adapter: 'onnxruntime-node (CPU), 2 threads', kernels_per_step: 3 });
    expect(text.split('\n')[0]).toBe('train tiny  batch 32 × seq 128  on ort (onnxruntime-node (CPU), 2 threads)');
    expect(text).not.toContain('kernels/step');
  });

  it('leaves out what a backend does not measure', () => {
    const { dispatches_per_step: _d, readbacks_per_step: _r, submits_per_step: _s, pipelines_created: _p, submit_ms_per_step: _sm, readback_wait_ms_per_step: _rw, ...cpu } = result;
    const text = formatBench({ ...cpu, backend: 'wasm', adapter: 'wasm simd, 1 thread', wasm_heap_mb: 340, peak_rss_mb: null, loss: undefined });
    expect(text).toContain('  2257 kernels/step\n');
    expect(text).toContain('4.43 M params, wasm heap 340 MB');
    expect(text).not.toContain('dispatches');
    expect(text).not.toContain('host:');
  });
});

describe('benchJsonLine', () => {
  it('is one line of JSON with every field, step times rounded to 0.01 ms', () => {
    const line = benchJsonLine(result);
    expect(line).not.toContain('\n');
    const o = JSON.parse(line);
    expect(o.ms_per_step).toEqual([1200, 1234.57, 1300.12]);
    expect(o.ms_per_step_median).toBe(1234.567);
    expect(Object.keys(o)).toEqual(Object.keys(result));
  });
});
