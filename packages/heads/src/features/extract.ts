// Contextual features per token (or per word) of raw text lines, as google-research/bert extract_features.py
// does (paper §5.3): each line is `text_a` or `text_a ||| text_b`, encoded with [CLS]/[SEP], run through the frozen
// encoder, and the chosen layers are read out. Unlike extract_features.py, which truncates at max_seq_length, a
// long single text is cut into overlapping windows (stride as SQuAD's doc_stride) and each token takes its
// vector from the window where it has the most context (run_squad.py `_check_is_max_context`).
import type { BertModel } from '@bertkit/encoder';
import type { BertTokenizer, Encoding } from '@bertkit/tokenizer';
import { forwardFeatures, type FeatureWindow } from './forward-features';
import { FeatureConfigError, selectionName, selectionWidth, type LayerSelection } from './layer-selection';
import { MAX_SEQ_LENGTH } from '../common/defaults';

export type WordPooling = 'none' | 'first' | 'mean';

export interface ExtractOptions {
  layers: LayerSelection[];
  /** Window length including [CLS]/[SEP]. Default min(MAX_SEQ_LENGTH, max_position_embeddings). */
  maxSeqLength?: number;
  /** Tokens between the starts of consecutive windows of a long text. Default half the window's content. */
  docStride?: number;
  /** 'none' = every token incl. [CLS]/[SEP] (extract_features.py); 'first' / 'mean' = one vector per word. */
  pooling?: WordPooling;
  batchSize?: number;
}

export interface ExtractedLayer {
  /** The layer index (-1 …) or the name of a combination (`sum:-1,-2,-3,-4`). */
  index: number | string;
  width: number;
  /** Row-major [tokens.length, width]. */
  values: Float32Array;
}

export interface ExtractedLine {
  lineIndex: number;
  /** Tokens (pooling 'none') or words (the original text of the word). */
  tokens: string[];
  layers: ExtractedLayer[];
}

interface Slot {
  window: number;
  pos: number;
  token: string;
  /** Word key (sequence:word) and its [start, end) in that sequence's text, or null for special tokens. */
  word: { key: string; seq: number; start: number; end: number } | null;
}

/** Splits a line like extract_features.py `read_examples`: `a ||| b` → [a, b]. */
export function splitPairLine(line: string): [string, string | null] {
  const m = /^(.*) \|\|\| (.*)$/.exec(line);
  return m ? [m[1], m[2]] : [line, null];
}

function wordOf(enc: Encoding, t: number): Slot['word'] {
  const seq = enc.sequenceIds[t];
  const w = enc.wordIds[t];
  if (seq === null || w === null || enc.specialTokensMask[t] === 1) return null;
  return { key: `${seq}:${w}`, seq, start: enc.offsets[t][0], end: enc.offsets[t][1] };
}

/** Plans windows for one line and the slot (window, position) every output token reads from. */
function planLine(tokenizer: BertTokenizer, line: string, maxLen: number, docStride: number, windows: FeatureWindow[]): Slot[] {
  const [a, b] = splitPairLine(line);
  if (b !== null) {
    // Pairs are truncated as extract_features.py `_truncate_seq_pair` (longest first).
    const enc = tokenizer.encode(a, b, { maxLength: maxLen, truncation: 'longest_first' });
    windows.push({ ids: enc.ids, typeIds: enc.typeIds });
    return enc.tokens.map((token, pos) => ({ window: windows.length - 1, pos, token, word: wordOf(enc, pos) }));
  }
  const enc = tokenizer.encode(a, null, { addSpecialTokens: false });
  const n = enc.ids.length;
  const content = maxLen - 2;
  const starts: number[] = [];
  for (let s = 0; ; s += docStride) {
    starts.push(s);
    if (s + content >= n) break;
  }
  const first = windows.length;
  for (const s of starts) {
    const ids = enc.ids.slice(s, s + content);
    windows.push({ ids: [tokenizer.clsTokenId, ...ids, tokenizer.sepTokenId], typeIds: new Array<number>(ids.length + 2).fill(0) });
  }
  const slots: Slot[] = [{ window: first, pos: 0, token: tokenizer.idToToken(tokenizer.clsTokenId) ?? '[CLS]', word: null }];
  for (let t = 0; t < n; t++) {
    // _check_is_max_context: the window where min(left, right) context + 0.01 · length is largest.
    let best = -1;
    let bestScore = -Infinity;
    starts.forEach((s, k) => {
      const len = Math.min(content, n - s);
      if (t < s || t >= s + len) return;
      const score = Math.min(t - s, s + len - 1 - t) + 0.01 * len;
      if (score > bestScore) [best, bestScore] = [k, score];
    });
    slots.push({ window: first + best, pos: t - starts[best] + 1, token: enc.tokens[t], word: wordOf(enc, t) });
  }
  const last = windows.length - 1;
  slots.push({ window: last, pos: windows[last].ids.length - 1, token: tokenizer.idToToken(tokenizer.sepTokenId) ?? '[SEP]', word: null });
  return slots;
}

/** Extracts features of every line (see the file comment). Returns plain arrays; no tensor outlives the call. */
export async function extractFeatures(model: BertModel, tokenizer: BertTokenizer, lines: readonly string[], options: ExtractOptions): Promise<ExtractedLine[]> {
  const maxLen = options.maxSeqLength ?? Math.min(MAX_SEQ_LENGTH, model.config.maxPositionEmbeddings);
  if (!Number.isInteger(maxLen) || maxLen < 3 || maxLen > model.config.maxPositionEmbeddings) {
    throw new FeatureConfigError('maxSeqLength', `an integer in [3, ${model.config.maxPositionEmbeddings}]`, `${maxLen}`);
  }
  const docStride = options.docStride ?? Math.max(1, Math.floor((maxLen - 2) / 2));
  if (!Number.isInteger(docStride) || docStride < 1 || docStride > maxLen - 2) {
    throw new FeatureConfigError('docStride', `an integer in [1, ${maxLen - 2}]`, `${docStride}`);
  }
  if (options.layers.length === 0) throw new FeatureConfigError('layers', 'at least one layer selection', 'none');
  const pooling = options.pooling ?? 'none';
  const windows: FeatureWindow[] = [];
  const plans = lines.map((l) => planLine(tokenizer, l, maxLen, docStride, windows));
  const feats = await forwardFeatures(model, windows, options.layers, options.batchSize ?? 8, tokenizer.padTokenId);
  const h = model.config.hiddenSize;
  return plans.map((slots, lineIndex) => {
    const [a, b] = splitPairLine(lines[lineIndex]);
    // Groups of slots that make one output row: each token, or each word's sub-tokens.
    const groups: { text: string; slots: Slot[] }[] = [];
    if (pooling === 'none') for (const s of slots) groups.push({ text: s.token, slots: [s] });
    else {
      const byKey = new Map<string, { text: string; slots: Slot[] }>();
      for (const s of slots) {
        if (s.word === null) continue;
        let g = byKey.get(s.word.key);
        if (!g) {
          g = { text: '', slots: [] };
          byKey.set(s.word.key, g);
          groups.push(g);
        }
        g.slots.push(s);
      }
      for (const g of groups) {
        const w0 = g.slots[0].word!;
        const w1 = g.slots[g.slots.length - 1].word!;
        g.text = (w0.seq === 0 ? a : (b ?? '')).slice(w0.start, w1.end);
      }
    }
    const layers = options.layers.map((sel, k) => {
      const d = selectionWidth(sel, h);
      const values = new Float32Array(groups.length * d);
      groups.forEach((g, r) => {
        const used = pooling === 'first' ? g.slots.slice(0, 1) : g.slots;
        for (const s of used) {
          const src = feats[s.window][k];
          for (let j = 0; j < d; j++) values[r * d + j] += src[s.pos * d + j] / used.length;
        }
      });
      return { index: selectionName(sel), width: d, values };
    });
    return { lineIndex, tokens: groups.map((g) => g.text), layers };
  });
}
