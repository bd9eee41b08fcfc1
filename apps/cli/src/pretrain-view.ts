// How the CLI shows a pre-training run (@bertkit/pretraining's runPretraining): the setup line, a progress bar,
// and the loss chart (loss.html / loss.svg beside metrics.jsonl) redrawn at each checkpoint and at the end.
import type { PretrainRunEvent, PretrainRunResult } from '@bertkit/pretraining/node';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from './command.js';
import { chartPointsFromJsonl, lossChartHtml, lossChartSvg } from './loss-chart.js';
import { ProgressBar } from './progress.js';

export interface PretrainView {
  onEvent: (e: PretrainRunEvent) => void;
  /** Draws the final chart; returns its paths. */
  finish(r: PretrainRunResult): { chartPath: string; svgPath: string };
}

/** Renders a run writing into `out`; `progress` false leaves the per-step output to the caller (the quickstart). */
export function pretrainView(out: string, io: Io, options: { progress?: boolean; label?: string } = {}): PretrainView {
  const metricsPath = join(out, 'metrics.jsonl');
  const chartPath = join(out, 'loss.html');
  const svgPath = join(out, 'loss.svg');
  let title = 'pre-training loss';
  const render = (summary: string) => {
    const points = chartPointsFromJsonl(existsSync(metricsPath) ? readFileSync(metricsPath, 'utf8') : '');
    writeFileSync(svgPath, lossChartSvg(points, title));
    writeFileSync(chartPath, lossChartHtml(points, title, summary));
  };
  let bar: ProgressBar | null = null;
  const label = options.label ?? 'pretrain';
  return {
    onEvent(e) {
      if (e.type === 'setup') {
        title = `pre-training loss (${e.config.numHiddenLayers}×${e.config.hiddenSize})`;
        io.stderr.write(`${label}: ${e.description}\n`);
      } else if (e.type === 'notice') io.stderr.write(`${label}: ${e.message}\n`);
      else if (e.type === 'start' && options.progress !== false) bar = new ProgressBar({ total: e.totalSteps, startCount: e.step, label, stream: io.stderr });
      else if (e.type === 'step') {
        const tps = e.tokensPerSec !== undefined ? ` ${Math.round(e.tokensPerSec)} tok/s` : '';
        const mlm = e.mlmLoss !== undefined && e.nspLoss !== undefined ? ` (mlm ${e.mlmLoss.toFixed(3)} nsp ${e.nspLoss.toFixed(3)})` : '';
        bar?.update(e.step, `loss ${e.loss.toFixed(3)}${mlm} lr ${e.lr.toExponential(2)}${tps}`);
      } else if (e.type === 'checkpoint') render(`checkpoint at step ${e.step}: ${e.path ?? ''}`);
      else if (e.type === 'done') bar?.done();
    },
    finish(r) {
      render(r.summary);
      return { chartPath, svgPath };
    },
  };
}
