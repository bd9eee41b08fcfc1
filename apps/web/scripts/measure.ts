// Measures the built app in headless Chromium here, per backend: fill-mask latency (the shipped model, median of
// 5 after a warm-up) and pre-training throughput (Train view defaults: 2 layers × 64 hidden, batch 8 × 48, 20 steps).
// Run: pnpm --filter @bertkit/web bench
import { cpus } from 'node:os';
import { chromiumMissing, launch, runFillMask, serve, waitBackend, waitModel } from '../test/harness';

const TEXT = 'the man went to the [MASK] and bought a [MASK] of milk .';

async function main(): Promise<void> {
  if (chromiumMissing) {
    console.log(chromiumMissing);
    return;
  }
  const s = await serve();
  const b = await launch();
  console.log(`machine: ${cpus()[0].model}, ${cpus().length} cores, Node ${process.version}, Chromium ${b.context.browser()?.version() ?? '(persistent context)'}`);
  try {
    for (const backend of ['wasm', 'webgpu', 'cpu']) {
      const page = await b.context.newPage();
      await page.goto(`${s.url}?backend=${backend}&view=fill-mask`);
      await waitBackend(page, backend);
      await waitModel(page);
      const status = (await page.textContent('#backend-status'))?.trim();
      await runFillMask(page, TEXT); // warm-up: shader compilation, wasm init
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) ms.push((await runFillMask(page, TEXT)).ms);
      ms.sort((a, c) => a - c);
      await page.click('#tab-train');
      await page.fill('#train-steps', '20');
      await page.click('#train-start');
      await page.waitForSelector('#train-download, #train-out .error', { timeout: 600_000 });
      const tps = Number(await page.getAttribute('#train-stats', 'data-tokens-per-sec'));
      const losses = JSON.parse((await page.getAttribute('#train-chart', 'data-losses')) ?? '[]') as number[];
      console.log(`${backend.padEnd(6)} fill-mask median ${ms[2].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[4].toFixed(1)}) · train ${Math.round(tps)} tokens/s, loss ${losses[0]?.toFixed(3)} → ${losses.at(-1)?.toFixed(3)} · ${status}`);
      await page.close();
    }
  } finally {
    await b.close();
    await s.close();
  }
}

void main();
