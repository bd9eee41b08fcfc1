// Several runs' loss curves in one SVG (`bert chart`): the MLM loss (else the total) of each metrics.jsonl against
// the step, smoothed by a moving mean, on a y-axis fitted to the data (not from 0, so runs a few hundredths apart
// stay apart), with optional horizontal reference lines such as the unigram entropy.
import type { ChartPoint } from './loss-chart.js';

export interface ChartRun {
  name: string;
  points: readonly ChartPoint[];
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Moving mean over the last `window` values (shorter at the start). */
export function smooth(values: readonly number[], window: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window];
    return sum / Math.min(i + 1, window);
  });
}

export function runsChartSvg(runs: readonly ChartRun[], options: { title?: string; window?: number; lines?: ReadonlyArray<{ y: number; label: string }> } = {}): string {
  const { title = 'MLM loss', window = 1, lines = [] } = options;
  const W = 760, H = 400, L = 56, R = 16, T = 32, B = 40;
  const series = runs.map((r, i) => {
    const ys = smooth(r.points.map((p) => p.mlmLoss ?? p.loss), window);
    return { name: r.name, color: COLORS[i % COLORS.length], xy: r.points.map((p, k) => [p.step, ys[k]] as const).filter(([, y]) => Number.isFinite(y)) };
  });
  const xs = series.flatMap((s) => s.xy.map(([x]) => x));
  const ys = [...series.flatMap((s) => s.xy.map(([, y]) => y)), ...lines.map((l) => l.y)];
  const x0 = Math.min(0, ...xs), x1 = Math.max(1, ...xs);
  const pad = (Math.max(...ys) - Math.min(...ys)) * 0.05 || 0.5;
  const y0 = Math.min(...ys) - pad, y1 = Math.max(...ys) + pad;
  const sx = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y: number) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  const step = [0.1, 0.2, 0.25, 0.5, 1, 2, 5].find((s) => (y1 - y0) / s <= 8) ?? 10;
  const xstep = [100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000].find((s) => (x1 - x0) / s <= 8) ?? 20000;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}${window > 1 ? ` (moving mean of ${window} logged points)` : ''}</text>`,
  ];
  for (let v = Math.ceil(y0 / step) * step; v <= y1; v += step) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#eee"/><text x="${L - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toFixed(2))}</text>`);
  }
  for (let v = Math.ceil(x0 / xstep) * xstep; v <= x1; v += xstep) out.push(`<text x="${sx(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">step</text>`);
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#888"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#888"/>`);
  for (const l of lines) {
    out.push(`<line x1="${L}" x2="${W - R}" y1="${sy(l.y).toFixed(1)}" y2="${sy(l.y).toFixed(1)}" stroke="#555" stroke-dasharray="4 3"/><text x="${W - R - 4}" y="${(sy(l.y) + 14).toFixed(1)}" text-anchor="end" fill="#555">${esc(l.label)}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.xy.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    out.push(`<rect x="${W - R - 200}" y="${T + 4 + i * 16}" width="12" height="3" fill="${s.color}"/><text x="${W - R - 182}" y="${T + 9 + i * 16}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
