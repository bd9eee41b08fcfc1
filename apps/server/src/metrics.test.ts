import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('renders counters, gauges and cumulative histograms in Prometheus text format', () => {
    const m = new Metrics();
    m.inc('bert_requests_total', { route: '/v1/qa', status: '200', method: 'POST' });
    m.inc('bert_requests_total', { route: '/v1/qa', status: '200', method: 'POST' });
    m.set('bert_queue_depth', {}, 3);
    m.observe('bert_batch_size', {}, 3);
    m.observe('bert_batch_size', {}, 40);
    const text = m.render();
    expect(text).toContain('# TYPE bert_requests_total counter');
    expect(text).toContain('bert_requests_total{method="POST",route="/v1/qa",status="200"} 2');
    expect(text).toContain('bert_queue_depth 3');
    expect(text).toContain('bert_batch_size_bucket{le="2"} 0');
    expect(text).toContain('bert_batch_size_bucket{le="4"} 1');
    expect(text).toContain('bert_batch_size_bucket{le="64"} 2');
    expect(text).toContain('bert_batch_size_bucket{le="+Inf"} 2');
    expect(text).toContain('bert_batch_size_sum 43');
    expect(text).toContain('bert_batch_size_count 2');
  });

  it('escapes label values', () => {
    const m = new Metrics();
    m.inc('x_total', { route: 'a"b\\c\nd' });
    expect(m.render()).toContain('x_total{route="a\\"b\\\\c\\nd"} 1');
  });
});
