// extract_features.py's output format: one JSON object per input line,
// {"linex_index": i, "features": [{"token": "...", "layers": [{"index": -1, "values": [...]}, ...]}, ...]},
// values rounded to 6 decimals (`round(float(x), 6)`). The misspelt key `linex_index` is the original's.
import { roundLikePython } from './round';
import type { ExtractedLine } from './extract';

export interface FeatureJsonLine {
  linex_index: number;
  features: { token: string; layers: { index: number | string; values: number[] }[] }[];
}

export function toFeatureJson(line: ExtractedLine, digits = 6): FeatureJsonLine {
  return {
    linex_index: line.lineIndex,
    features: line.tokens.map((token, r) => ({
      token,
      layers: line.layers.map((l) => ({ index: l.index, values: Array.from(l.values.subarray(r * l.width, (r + 1) * l.width), (v) => roundLikePython(v, digits)) })),
    })),
  };
}

/** One JSONL line (no trailing newline). */
export function featureJsonLine(line: ExtractedLine, digits = 6): string {
  return JSON.stringify(toFeatureJson(line, digits));
}
