// `bert chart`: several runs' loss curves in one SVG, e.g. a recipe sweep (docs/pretraining.md's charts).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { int, required, str } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { chartPointsFromJsonl } from '../loss-chart.js';
import { runsChartSvg } from '../runs-chart.js';

export const chartCommand: Command = {
  name: 'chart',
  summary: 'Plot the loss curves of several runs (metrics.jsonl) in one SVG',
  usage: '--runs <name>=<metrics.jsonl|run dir>,... --out chart.svg [--smooth N] [--line <y>=<label>,...] [--title t]',
  options: {
    runs: { type: 'string', description: 'comma-separated name=path (a metrics.jsonl or a run directory holding one); a bare path is named by its directory', valueName: 'list' },
    out: { type: 'string', description: 'the SVG file to write', valueName: 'file' },
    smooth: { type: 'string', description: 'moving mean over N logged points (default: 1, none)', valueName: 'n' },
    line: { type: 'string', description: 'dashed reference lines, comma-separated y=label (e.g. 6.65=unigram entropy)', valueName: 'list' },
    title: { type: 'string', description: 'chart title (default: MLM loss)', valueName: 'text' },
  },
  async run(values, _positionals, io) {
    const runs = required(values, 'runs').split(',').filter((s) => s.trim() !== '').map((spec) => {
      const eq = spec.indexOf('=');
      const path = (eq >= 0 ? spec.slice(eq + 1) : spec).trim();
      const file = path.endsWith('.jsonl') ? path : `${path}/metrics.jsonl`;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`--runs ${spec}: cannot read ${file}: ${(e as Error).message}`);
      }
      const points = chartPointsFromJsonl(text);
      if (points.length === 0) throw new UsageError(`--runs ${spec}: expected step records in ${file}, found none`);
      return { name: eq >= 0 ? spec.slice(0, eq).trim() : basename(dirname(file)), points };
    });
    const lines = (str(values, 'line') ?? '').split(',').filter((s) => s.trim() !== '').map((spec) => {
      const [y, ...label] = spec.split('=');
      if (!Number.isFinite(Number(y))) throw new UsageError(`--line ${spec}: expected <number>=<label>, got '${spec}'`);
      return { y: Number(y), label: label.join('=') };
    });
    const out = required(values, 'out');
    writeFileSync(out, runsChartSvg(runs, { title: str(values, 'title'), window: int(values, 'smooth', 1, { min: 1 }), lines }));
    io.stdout.write(`chart: ${runs.length} run(s) → ${out}\n`);
    return 0;
  },
};
