// A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with labels.
// Kept in-process and per server instance (no global registry), so two servers in one test do not mix counts.

type Labels = Record<string, string>;

interface Histogram {
  buckets: number[];
  counts: number[];
  sum: number;
  count: number;
}

const HELP: Record<string, [string, string]> = {
  bert_requests_total: ['counter', 'HTTP requests by route, method and status'],
  bert_request_duration_seconds: ['histogram', 'HTTP request latency by route'],
  bert_batch_size: ['histogram', 'Rows (sequences) per forward pass'],
  bert_batch_requests: ['histogram', 'Requests merged into one forward pass'],
  bert_queue_depth: ['gauge', 'Requests waiting for inference'],
  bert_queue_rejections_total: ['counter', 'Requests refused with 429 because the queue was full'],
  bert_tokens_total: ['counter', 'Tokens run through the encoder, by model'],
  process_resident_memory_bytes: ['gauge', 'Resident set size of the server process'],
  nodejs_heap_used_bytes: ['gauge', 'V8 heap in use'],
  tfjs_tensors: ['gauge', 'Live tfjs tensors (constant between requests: no leaks)'],
  tfjs_bytes: ['gauge', 'Bytes held by live tfjs tensors'],
  bert_inference_seconds: ['histogram', 'Time of one batch (tokenized rows to outputs), by model and operation'],
};

const BUCKETS: Record<string, number[]> = {
  bert_request_duration_seconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  bert_inference_seconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  bert_batch_size: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  bert_batch_requests: [1, 2, 4, 8, 16, 32, 64, 128],
};

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

export class Metrics {
  private readonly scalars = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();

  inc(name: string, labels: Labels, by = 1): void {
    const m = this.scalars.get(name) ?? new Map<string, number>();
    this.scalars.set(name, m);
    const k = key(labels);
    m.set(k, (m.get(k) ?? 0) + by);
  }

  set(name: string, labels: Labels, value: number): void {
    const m = this.scalars.get(name) ?? new Map<string, number>();
    this.scalars.set(name, m);
    m.set(key(labels), value);
  }

  observe(name: string, labels: Labels, value: number): void {
    const m = this.histograms.get(name) ?? new Map<string, Histogram>();
    this.histograms.set(name, m);
    const k = key(labels);
    let h = m.get(k);
    if (!h) {
      const buckets = BUCKETS[name] ?? [1];
      h = { buckets, counts: buckets.map(() => 0), sum: 0, count: 0 };
      m.set(k, h);
    }
    h.buckets.forEach((b, i) => {
      if (value <= b) h.counts[i]++;
    });
    h.sum += value;
    h.count++;
  }

  /** Prometheus text format. */
  render(): string {
    const lines: string[] = [];
    const names = [...new Set([...Object.keys(HELP), ...this.scalars.keys(), ...this.histograms.keys()])];
    for (const name of names) {
      const [type, help] = HELP[name] ?? ['untyped', name];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [k, v] of this.scalars.get(name) ?? []) lines.push(`${name}${k ? `{${k}}` : ''} ${v}`);
      for (const [k, h] of this.histograms.get(name) ?? []) {
        const sep = k ? ',' : '';
        h.buckets.forEach((b, i) => lines.push(`${name}_bucket{${k}${sep}le="${b}"} ${h.counts[i]}`));
        lines.push(`${name}_bucket{${k}${sep}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${k ? `{${k}}` : ''} ${h.sum}`, `${name}_count${k ? `{${k}}` : ''} ${h.count}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
