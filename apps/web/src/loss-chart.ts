// A live loss chart as inline SVG: total loss and (when given) the MLM and NSP parts, redrawn on every step.
const W = 640;
const H = 220;
const PAD = { l: 44, r: 12, t: 12, b: 26 };

export interface LossSeries {
  name: string;
  colour: string;
  values: number[];
}

function path(values: number[], n: number, lo: number, hi: number): string {
  const x = (i: number) => PAD.l + (i / Math.max(1, n - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.t - PAD.b);
  return values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
}

export function lossChartSvg(series: LossSeries[], totalSteps: number): string {
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const lo = all.length ? Math.min(0, ...all) : 0;
  const hi = all.length ? Math.max(...all) * 1.05 : 1;
  const n = Math.max(totalSteps, ...series.map((s) => s.values.length));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const grid = ticks.map((v) => {
    const y = PAD.t + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.t - PAD.b);
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" class="grid"/><text x="${PAD.l - 6}" y="${y + 4}" text-anchor="end">${v.toFixed(1)}</text>`;
  });
  const lines = series.map((s) => `<path d="${path(s.values, n, lo, hi)}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
  const legend = series.map((s, i) => `<text x="${PAD.l + 8 + i * 90}" y="${H - 6}" fill="${s.colour}">● ${s.name}</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="loss chart">${grid.join('')}${lines.join('')}${legend.join('')}<text x="${W - PAD.r}" y="${H - 6}" text-anchor="end">step ${series[0]?.values.length ?? 0} / ${totalSteps}</text></svg>`;
}
