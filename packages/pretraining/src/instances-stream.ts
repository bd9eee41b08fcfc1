// Instance generation over a document stream of unbounded size. `create_training_instances` needs every document
// in memory (a NotNext segment B comes from a uniformly random document); for a corpus larger than memory the
// stream is cut into windows of `windowDocuments` documents and each window is processed as one corpus — the same
// thing as running the original script on input shards, which is how it is run on Wikipedia + BookCorpus.
import type { Rng } from '@bertkit/backend';
import type { DataOptions } from './data-config.js';
import { createLtrInstances } from './instances-ltr.js';
import { tokenizeDocument, type IdDocument, type PretrainingTokenizer, type VocabInfo } from './instances-vocab.js';
import { createInstances, type TrainingInstance } from './instances.js';

export interface StreamOptions {
  /** Documents per window (default 10,000). */
  windowDocuments?: number;
  /** `mlm+nsp`/`mlm` build sentence pairs with masking (`mlm` simply ignores the NSP label); `ltr` LTR pieces. */
  objective?: 'mlm+nsp' | 'mlm' | 'ltr';
}

/** Tokenizes a stream of text documents (empty ones dropped). */
export async function* tokenizeStream(docs: AsyncIterable<readonly string[]> | Iterable<readonly string[]>, tok: PretrainingTokenizer): AsyncGenerator<IdDocument> {
  for await (const d of docs) {
    const ids = tokenizeDocument(d, tok);
    if (ids.length > 0) yield ids;
  }
}

/** Instances of a stream of tokenized documents, window by window (each window's instances shuffled). */
export async function* generateInstances(
  docs: AsyncIterable<IdDocument> | Iterable<IdDocument>,
  opts: DataOptions,
  vocab: VocabInfo,
  rng: Rng,
  stream: StreamOptions = {},
): AsyncGenerator<TrainingInstance> {
  const window = stream.windowDocuments ?? 10_000;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`windowDocuments: expected a positive integer, got ${window}`);
  const make = stream.objective === 'ltr' ? createLtrInstances : createInstances;
  let buf: IdDocument[] = [];
  for await (const d of docs) {
    buf.push(d);
    if (buf.length === window) {
      yield* make(buf, opts, vocab, rng);
      buf = [];
    }
  }
  if (buf.length > 0) yield* make(buf, opts, vocab, rng);
}
