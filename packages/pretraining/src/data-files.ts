// Node-only: corpus (file, directory or the Brown corpus) → instance shards + `data.json`, the step behind
// `bert pretrain-data`. `data.json` records what the shards hold (objective, options, seed, vocabulary size,
// counts, what the corpus reader replaced) so the training step can check it is fed what it expects.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@bertkit/backend';
import { readBrownDocuments } from './brown-reader.js';
import { readCorpus, type CorpusReader, type CorpusReport, type ReadCorpusOptions } from './corpus-reader.js';
import { resolveDataOptions, type DataOptions } from './data-config.js';
import { pretrainingInstances, predictionsPerInstance, type Objective, type PipelineOptions } from './data-pipeline.js';
import type { PretrainingTokenizer } from './instances-vocab.js';
import { ShardWriter } from './shards-file.js';

export const DATA_META_FILE = 'data.json';

export interface DataMeta {
  format: 'bertkit-pretraining-shards';
  version: 1;
  objective: Objective;
  options: DataOptions;
  maxPredictions: number;
  seed: number;
  vocabSize: number;
  instances: number;
  shards: string[];
  corpus: { source: string; documents: number; sentences: number; bytes?: number; invalidBytes?: number };
}

export interface WriteDataOptions extends PipelineOptions {
  /** A corpus file or directory (google-research format), or `brown` for the embedded Brown corpus. */
  corpus: string;
  tokenizer: PretrainingTokenizer;
  outDir: string;
  seed: number;
  recordsPerShard?: number;
  /** Passed to the corpus reader (format, chunk size, invalid-byte handling, per-file callback). */
  read?: ReadCorpusOptions;
  /** Called every `progressEvery` instances (default 1,000) and at the end. */
  onProgress?: (p: { instances: number; documents: number }) => void;
  progressEvery?: number;
}

/**
 * The documents of a corpus spec as the CLI takes it: `brown` (the embedded Brown corpus, one document per file)
 * or a file / directory read by `readCorpus` (the reader is returned too, for its report). Several specs joined
 * by commas (`brown,../books`) are read one after the other; the reader is then the last file/directory part's.
 */
export function corpusDocuments(spec: string, options: ReadCorpusOptions = {}): { documents: AsyncIterable<readonly string[]> | Iterable<readonly string[]>; reader?: CorpusReader } {
  const parts = spec.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length > 1) {
    const each = parts.map((p) => corpusDocuments(p, options));
    async function* chained(): AsyncGenerator<readonly string[]> {
      for (const e of each) yield* e.documents;
    }
    const readers = each.flatMap((e) => (e.reader ? [e.reader] : []));
    return { documents: chained(), ...(readers.length > 0 ? { reader: readers[readers.length - 1] } : {}) };
  }
  if (spec === 'brown') return { documents: readBrownDocuments() };
  const reader = readCorpus(spec, options);
  return { documents: reader, reader };
}

/** Generates the shards of a corpus; returns the metadata also written to `<outDir>/data.json`. */
export async function writePretrainingData(o: WriteDataOptions): Promise<DataMeta & { corpusReport?: CorpusReport }> {
  const objective = o.objective ?? 'mlm+nsp';
  const opts = resolveDataOptions(o);
  const maxPredictions = predictionsPerInstance(opts, objective);
  let documents = 0;
  let sentences = 0;
  let corpusReport: CorpusReport | undefined;
  const { documents: textDocs, reader } = corpusDocuments(o.corpus, o.read);
  if (reader) corpusReport = reader.report;
  async function* counted(): AsyncGenerator<readonly string[]> {
    for await (const d of textDocs) {
      documents++;
      sentences += d.length;
      yield d;
    }
  }
  const writer = new ShardWriter(o.outDir, { maxSeqLength: opts.maxSeqLength, maxPredictions, vocabSize: o.tokenizer.vocabSize, padId: o.tokenizer.padTokenId, recordsPerShard: o.recordsPerShard });
  const every = o.progressEvery ?? 1000;
  for await (const x of pretrainingInstances(counted(), o.tokenizer, { ...o, objective }, new Rng(o.seed))) {
    await writer.write(x);
    if (writer.count % every === 0) o.onProgress?.({ instances: writer.count, documents });
  }
  const paths = await writer.close();
  o.onProgress?.({ instances: writer.count, documents });
  const meta: DataMeta = {
    format: 'bertkit-pretraining-shards',
    version: 1,
    objective,
    options: opts,
    maxPredictions,
    seed: o.seed,
    vocabSize: o.tokenizer.vocabSize,
    instances: writer.count,
    shards: paths.map((p) => p.slice(o.outDir.length).replace(/^[\\/]+/, '')),
    corpus: { source: o.corpus, documents, sentences, ...(corpusReport ? { bytes: corpusReport.bytes, invalidBytes: corpusReport.invalidBytes } : {}) },
  };
  const metaPath = join(o.outDir, DATA_META_FILE);
  writeFileSync(`${metaPath}.tmp`, `${JSON.stringify(meta, null, 2)}\n`);
  renameSync(`${metaPath}.tmp`, metaPath);
  return corpusReport ? { ...meta, corpusReport } : meta;
}

/** Reads `<dir>/data.json`. */
export function readDataMeta(dir: string): DataMeta {
  return JSON.parse(readFileSync(join(dir, DATA_META_FILE), 'utf8')) as DataMeta;
}
