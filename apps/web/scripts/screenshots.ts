// Screenshots of every view of the built app (bundled Brown model on wasm; the Tasks view with the QA encoder
// fixture when ../shared is there) into docs/screenshots/*.png. Run: pnpm --filter @bertkit/web screenshots
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@bertkit/test-utils';
import type { Page } from 'playwright-core';
import { chromiumMissing, fixtureRoutes, launch, serve, waitBackend, waitModel } from '../test/harness';

const OUT = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}

async function main(): Promise<void> {
  if (chromiumMissing) return console.log(chromiumMissing);
  mkdirSync(OUT, { recursive: true });
  const qa = fixturePath('encoder', 'models/odd/qa');
  const s = await serve(existsSync(qa) ? fixtureRoutes(qa, '/fixture-qa/') : {});
  const b = await launch();
  try {
    const page = await b.context.newPage();
    await page.setViewportSize({ width: 1040, height: 760 });
    await page.goto(`${s.url}?backend=wasm`);
    await waitBackend(page, 'wasm');
    await waitModel(page);
    await shot(page, 'tokenizer');
    await page.click('#tab-fill-mask');
    await page.click('#fm-run');
    await page.waitForSelector('#fm-latency');
    await shot(page, 'fill-mask');
    await page.click('#tab-attention');
    await page.waitForSelector('.attn-grid');
    await page.selectOption('#att-layer', '1');
    await page.hover('.cell[data-r="0"][data-c="3"]');
    await shot(page, 'attention');
    await page.click('#tab-embeddings');
    await page.waitForSelector('table.sim');
    await shot(page, 'embeddings');
    await page.click('#tab-train');
    await page.fill('#train-steps', '40');
    await page.click('#train-start');
    await page.waitForSelector('#train-download, #train-out .error', { timeout: 300_000 });
    await shot(page, 'train');
    await page.click('#tab-finetune');
    await page.click('#ft-run');
    await page.waitForSelector('#ft-acc, #ft-out .error', { timeout: 300_000 });
    await shot(page, 'finetune');
    if (existsSync(qa)) {
      await page.goto(`${s.url}?backend=wasm&model=fixture-qa/&view=tasks`);
      await waitModel(page);
      await page.fill('#qa-q', 'the dog ran to ?');
      await page.fill('#qa-c', 'the cat sat on the mat . the dog ran to a park and it was happy .');
      await page.click('#task-run');
      await page.waitForSelector('#task-out p');
      await shot(page, 'tasks-qa');
    }
  } finally {
    await b.close();
    await s.close();
  }
}

void main();
