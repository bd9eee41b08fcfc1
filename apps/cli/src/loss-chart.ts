// The loss chart `bert pretrain` leaves next to metrics.jsonl: a self-contained SVG (no dependency, opens in any
// browser) and loss.html embedding it with the run's last numbers.

export interface ChartPoint {
  step: number;
  loss: number;
  mlmLoss?: number;
  nspLoss?: number;
}

interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "Nice" tick values covering [lo, hi] (about `n` of them). */
function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** An SVG line chart of the total, MLM and NSP losses against the step. */
export function lossChartSvg(points: readonly ChartPoint[], title = 'pre-training loss'): string {
  const W = 720, H = 360, L = 56, R = 16, T = 32, B = 40;
  const series: Series[] = [
    { name: 'loss', color: '#1f77b4', points: points.map((p) => [p.step, p.loss] as [number, number]) },
    { name: 'mlmLoss', color: '#ff7f0e', points: points.filter((p) => p.mlmLoss !== undefined).map((p) => [p.step, p.mlmLoss!] as [number, number]) },
    { name: 'nspLoss', color: '#2ca02c', points: points.filter((p) => p.nspLoss !== undefined).map((p) => [p.step, p.nspLoss!] as [number, number]) },
  ].filter((s) => s.points.length > 0 && !(s.name === 'mlmLoss' && points.every((p) => p.mlmLoss === p.loss)));
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const x0 = Math.min(...all.map(([x]) => x), 0), x1 = Math.max(...all.map(([x]) => x), 1);
  const y0 = Math.min(0, ...all.map(([, y]) => y)), y1 = Math.max(...all.map(([, y]) => y), 1e-6);
  const sx = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (y: number) => T + (1 - (y - y0) / (y1 - y0 || 1)) * (H - T - B);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (const v of ticks(y0, y1)) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${L - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
  }
  for (const v of ticks(x0, x1)) parts.push(`<text x="${sx(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">step</text>`);
  parts.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#888"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#888"/>`);
  series.forEach((s, i) => {
    const d = s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    parts.push(`<rect x="${W - R - 110}" y="${T + 4 + i * 16}" width="12" height="3" fill="${s.color}"/><text x="${W - R - 92}" y="${T + 9 + i * 16}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** loss.html: the SVG inline plus a line of the last logged numbers. */
export function lossChartHtml(points: readonly ChartPoint[], title: string, summary: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>' + esc(title) + '</title></head>',
    '<body style="font-family:sans-serif">',
    lossChartSvg(points, title),
    `<p>${esc(summary)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Reads the loss series of a metrics.jsonl file's text (lines that are not step records are skipped). */
export function chartPointsFromJsonl(text: string): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const o = JSON.parse(line) as Partial<ChartPoint> & { type?: string };
      if (typeof o.step === 'number' && typeof o.loss === 'number') out.push({ step: o.step, loss: o.loss, mlmLoss: o.mlmLoss, nspLoss: o.nspLoss });
    } catch {
      // a line cut short by a kill
    }
  }
  return out;
}

/** A one-line text sparkline of values (for terminals). */
export function sparkline(values: readonly number[], width = 40): string {
  if (values.length === 0) return '';
  const blocks = '▁▂▃▄▅▆▇█';
  const n = Math.min(width, values.length);
  const binned = Array.from({ length: n }, (_, i) => {
    const a = Math.floor((i * values.length) / n), b = Math.max(a + 1, Math.floor(((i + 1) * values.length) / n));
    const s = values.slice(a, b);
    return s.reduce((x, y) => x + y, 0) / s.length;
  });
  const lo = Math.min(...binned), hi = Math.max(...binned);
  return binned.map((v) => blocks[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (blocks.length - 1)) : 0]).join('');
}
