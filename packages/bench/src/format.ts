// The two outputs of a benchmark: a few lines for people, one JSON line for machines (and for comparing runs).
import type { BenchResult } from './run-bench.js';

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Human-readable summary of one run (pure: the same result always gives the same text). */
export function formatBench(r: BenchResult): string {
  const lines = [
    `${r.task} ${r.preset}  batch ${r.batch} × seq ${r.seq}${r.checkpoint_layers ? '  (checkpointed layers)' : ''}  on ${r.engine === 'ort' ? 'ort' : r.backend} (${r.adapter})`,
    `  ${fixed(r.ms_per_step_median, 1)} ms/step median (min ${fixed(r.ms_per_step_min, 1)}, max ${fixed(r.ms_per_step_max, 1)}, ` +
      `${r.steps} steps after ${r.warmup} warm-up)  ${Math.round(r.tokens_per_s).toLocaleString('en-US')} tokens/s`,
  ];
  // on ort the steps run no tfjs kernels; their count says nothing there
  const work = r.engine === 'ort' ? [] : [`${r.kernels_per_step} kernels/step`];
  if (r.dispatches_per_step !== undefined) work.push(`${r.dispatches_per_step} dispatches/step`);
  if (r.readbacks_per_step !== undefined) work.push(`${r.readbacks_per_step} read-backs/step`);
  if (r.submits_per_step !== undefined) work.push(`${r.submits_per_step} submits/step`);
  if (r.pipelines_created !== undefined && r.pipelines_created > 0) work.push(`${r.pipelines_created} pipelines compiled while timed`);
  if (work.length > 0) lines.push(`  ${work.join(', ')}`);
  if (r.submit_ms_per_step !== undefined && r.readback_wait_ms_per_step !== undefined) {
    const rest = r.ms_per_step_median - r.submit_ms_per_step - r.readback_wait_ms_per_step;
    lines.push(
      `  host: ${fixed(r.submit_ms_per_step, 1)} ms in submit, ${fixed(r.readback_wait_ms_per_step, 1)} ms waiting on read-backs, ` +
        `${fixed(rest, 1)} ms recording and encoding (per step, medians)`,
    );
  }
  const mem = [`${(r.params / 1e6).toFixed(2)} M params`];
  if (r.loss !== undefined) mem.push(`last loss ${fixed(r.loss, 4)}`);
  if (r.peak_rss_mb !== null) mem.push(`peak RSS ${r.peak_rss_mb} MB`);
  if (r.wasm_heap_mb !== undefined) mem.push(`wasm heap ${r.wasm_heap_mb} MB`);
  lines.push(`  ${mem.join(', ')}`);
  lines.push(`  ${r.machine}`);
  return lines.join('\n');
}

/** One JSON object on one line (no trailing newline): every field of the result, `ms_per_step` rounded to 0.01 ms. */
export function benchJsonLine(r: BenchResult): string {
  return JSON.stringify({ ...r, ms_per_step: r.ms_per_step.map((x) => Math.round(x * 100) / 100) });
}
