// `bert bench` wires @bertkit/bench: one JSON line with the fields every speed figure is read from, and a text form.
// (No timing is asserted: benchmarks are scripts and this command, never timed tests.)
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { capture } from '../test-io.js';

describe('bert bench', () => {
  it('prints one JSON line for a tiny train step on cpu, and text for a forward', async () => {
    const c = capture();
    expect(await runCli(['bench', '--preset', 'tiny', '--task', 'train', '--batch', '2', '--seq', '16', '--steps', '1', '--warmup', '0', '--backend', 'cpu', '--json'], c.io), c.err()).toBe(0);
    const r = JSON.parse(c.out()) as Record<string, unknown>;
    expect(r).toMatchObject({ backend: 'cpu', preset: 'tiny', task: 'train', batch: 2, seq: 16, steps: 1 });
    expect(r.ms_per_step_median).toBeGreaterThan(0);
    expect(r.tokens_per_s).toBeGreaterThan(0);
    const t = capture();
    expect(await runCli(['bench', '--preset', 'tiny', '--task', 'forward', '--batch', '1', '--seq', '8', '--steps', '1', '--backend', 'cpu'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^forward tiny {2}batch 1 × seq 8 {2}on cpu/);
    const bad = capture();
    expect(await runCli(['bench', '--task', 'forward'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/exactly one of --preset <name> and --model <dir>/);
  });

  it('--checkpoint-layers: the same train step (same loss) with each layer recomputed, flagged in the output', async () => {
    const args = ['bench', '--preset', 'tiny', '--task', 'train', '--batch', '2', '--seq', '16', '--steps', '1', '--warmup', '0', '--backend', 'cpu', '--json'];
    const plain = capture();
    expect(await runCli(args, plain.io), plain.err()).toBe(0);
    const ckpt = capture();
    expect(await runCli([...args, '--checkpoint-layers'], ckpt.io), ckpt.err()).toBe(0);
    const [a, b] = [plain, ckpt].map((c) => JSON.parse(c.out()) as { loss: number; checkpoint_layers?: boolean });
    expect(b.checkpoint_layers).toBe(true);
    expect(a.checkpoint_layers).toBeUndefined();
    expect(b.loss).toBeCloseTo(a.loss, 5);
  });
});
