// Tag-scheme helpers. CoNLL-2003's original files use IOB1 (`I-X` everywhere, `B-X` only where an entity
// directly follows another of the same type); the common redistribution and HF use IOB2 (every entity starts
// with `B-X`). Chunks are read with conlleval's own start/end rules (chunk-rules.ts), so both schemes give the
// same spans.
import { type Chunk, chunksOf } from './chunk-rules';
import type { ConllDataset, ConllStats } from './reader';

/** IOB1 → IOB2: an `I-X` that does not continue an `X` entity (sentence start, after `O` or another type) becomes `B-X`. */
export function iob1ToIob2(tags: readonly string[]): string[] {
  let prev = 'O';
  return tags.map((t) => {
    const out = t.startsWith('I-') && (prev === 'O' || typeOf(prev) !== typeOf(t)) ? `B-${t.slice(2)}` : t;
    prev = t;
    return out;
  });
}

/** IOB2 → IOB1: a `B-X` becomes `I-X` unless the previous token is inside an `X` entity. */
export function iob2ToIob1(tags: readonly string[]): string[] {
  let prev = 'O';
  return tags.map((t) => {
    const out = t.startsWith('B-') && !(prev !== 'O' && typeOf(prev) === typeOf(t)) ? `I-${t.slice(2)}` : t;
    prev = t;
    return out;
  });
}

function typeOf(tag: string): string {
  const i = tag.indexOf('-');
  return i < 0 ? '' : tag.slice(i + 1);
}

/** Entity spans of one sentence (conlleval's chunk boundaries; IOB1 and IOB2 give the same spans). */
export function entitiesOf(tags: readonly string[]): Chunk[] {
  return chunksOf(tags);
}

/** Documents / sentences / tokens / entities per type of a parsed CoNLL dataset. */
export function conllStats(ds: ConllDataset): ConllStats {
  const entities: Record<string, number> = {};
  let tokens = 0;
  for (const s of ds.sentences) {
    tokens += s.words.length;
    for (const c of chunksOf(s.tags)) entities[c.type] = (entities[c.type] ?? 0) + 1;
  }
  return { documents: ds.documents, sentences: ds.sentences.length, tokens, entities };
}
