import { describe, expect, it } from 'vitest';
import { chartPointsFromJsonl, lossChartHtml, lossChartSvg, sparkline } from './loss-chart.js';

describe('loss chart', () => {
  it('reads step records from metrics.jsonl, skipping other events and a line cut short by a kill', () => {
    const text = ['{"type":"step","step":1,"loss":3,"mlmLoss":2.5,"nspLoss":0.5}', '{"type":"checkpoint","step":1}', '{"type":"step","step":2,"loss":2', ''].join('\n');
    expect(chartPointsFromJsonl(text)).toEqual([{ step: 1, loss: 3, mlmLoss: 2.5, nspLoss: 0.5 }]);
  });

  it('draws one path per series with a legend, scaled into the plot area', () => {
    const pts = [
      { step: 1, loss: 10, mlmLoss: 9, nspLoss: 1 },
      { step: 11, loss: 5, mlmLoss: 4.5, nspLoss: 0.5 },
    ];
    const svg = lossChartSvg(pts, 'a <b>');
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('a &lt;b&gt;');
    for (const name of ['loss', 'mlmLoss', 'nspLoss']) expect(svg).toContain(`>${name}</text>`);
    // x from step 0..11 over [56, 704]; y from 0..10 over [320, 32]: step 1 loss 10 → (114.9, 32.0)
    expect(svg).toContain('M114.9,32.0L704.0,176.0');
    expect(lossChartHtml(pts, 't', 'done')).toMatch(/^<!doctype html>[^]*<svg[^]*<p>done<\/p>/);
  });

  it('leaves out the MLM series when it equals the loss (no NSP)', () => {
    expect(lossChartSvg([{ step: 1, loss: 2, mlmLoss: 2 }, { step: 2, loss: 1, mlmLoss: 1 }]).match(/<path /g)).toHaveLength(1);
  });

  it('sparkline bins values into at most `width` blocks from low to high', () => {
    expect(sparkline([8, 6, 4, 2])).toBe('█▆▃▁');
    expect(sparkline([1, 1, 3, 3], 2)).toBe('▁█');
    expect(sparkline([])).toBe('');
  });
});
