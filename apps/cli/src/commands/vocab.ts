// `bert vocab`: learns a WordPiece vocabulary from a corpus (a file, a directory or the embedded Brown corpus) and
// writes vocab.txt, tokenizer.json and tokenizer_config.json, a directory every other command (and HF) loads.
import { BertTokenizer, trainWordPiece } from '@bertkit/tokenizer';
import { saveTokenizer } from '@bertkit/tokenizer/node';
import type { CorpusFormat } from '@bertkit/pretraining';
import { corpusDocuments, type ReadCorpusOptions } from '@bertkit/pretraining/node';
import { choice, flag, int, required } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { formatCorpusReport } from '../corpus-report.js';
import { ProgressBar } from '../progress.js';

export interface VocabRunOptions {
  corpus: string;
  vocabSize: number;
  minFrequency: number;
  lowercase: boolean;
  out: string;
  /** How corpus files are read (format, Project Gutenberg boilerplate). */
  corpusOptions?: ReadCorpusOptions;
}

export const CORPUS_FORMATS: readonly CorpusFormat[] = ['lines', 'paragraphs', 'wikitext'];

/** `--corpus-format` and `--gutenberg`, as every command that reads corpus files takes them. */
export function corpusReadOptions(values: Parameters<typeof flag>[0], defaultFormat: CorpusFormat): ReadCorpusOptions {
  return { format: choice(values, 'corpus-format', CORPUS_FORMATS, defaultFormat), gutenberg: flag(values, 'gutenberg') };
}

/** Trains and saves; returns the tokenizer. Progress and the corpus report go to stderr, the summary to stdout. */
export async function buildVocab(o: VocabRunOptions, io: Io): Promise<BertTokenizer> {
  const stream = io.stderr;
  const { documents, reader } = corpusDocuments(o.corpus, o.corpusOptions);
  async function* sentences(): AsyncGenerator<string> {
    for await (const doc of documents) yield* doc;
  }
  const bar = new ProgressBar({ total: o.vocabSize, label: 'vocab', stream });
  let counted = 0;
  const trained = await trainWordPiece(sentences(), {
    vocabSize: o.vocabSize,
    minFrequency: o.minFrequency,
    lowercase: o.lowercase,
    onProgress: (p) => {
      if (p.phase === 'count') counted = p.words;
      else bar.update(p.vocabSize, `${counted} words counted`);
    },
  });
  bar.update(trained.vocab.length, `${counted} words counted`);
  bar.done();
  if (reader) for (const l of formatCorpusReport(reader.report)) stream.write(`${l}\n`);
  const tokenizer = BertTokenizer.fromTokens(trained.vocab, { lowercase: o.lowercase });
  await saveTokenizer(tokenizer, o.out);
  const wordPieces = trained.vocab.filter((t) => t.startsWith('##')).length;
  io.stdout.write(
    `vocab: ${trained.vocab.length} tokens (${wordPieces} ##-pieces, ${o.lowercase ? 'uncased' : 'cased'}) from ${counted} words → ${o.out}/vocab.txt, tokenizer.json, tokenizer_config.json\n`,
  );
  return tokenizer;
}

export const vocabCommand: Command = {
  name: 'vocab',
  summary: 'Train a WordPiece vocabulary on a corpus (vocab.txt + tokenizer.json)',
  usage: '--corpus <file|dir|brown> --out <dir> [--vocab-size N] [--min-frequency N] [--cased]',
  options: {
    corpus: { type: 'string', description: "text file or directory (one sentence per line, blank line between documents), or 'brown'; several joined by commas", valueName: 'path' },
    'corpus-format': { type: 'string', description: 'lines | paragraphs | wikitext (default: lines)', valueName: 'fmt' },
    gutenberg: { type: 'boolean', description: "drop each file's Project Gutenberg header and licence" },
    out: { type: 'string', description: 'output directory', valueName: 'dir' },
    'vocab-size': { type: 'string', description: 'target vocabulary size, special tokens included', valueName: 'n', default: '30000' },
    'min-frequency': { type: 'string', description: 'a pair is merged only if seen this often', valueName: 'n', default: '2' },
    lowercase: { type: 'boolean', description: 'lowercase and strip accents (the default)' },
    cased: { type: 'boolean', description: 'keep case and accents' },
  },
  async run(values, _positionals, io) {
    if (flag(values, 'lowercase') && flag(values, 'cased')) throw new UsageError('give --lowercase or --cased, not both');
    await buildVocab(
      {
        corpus: required(values, 'corpus'),
        out: required(values, 'out'),
        vocabSize: int(values, 'vocab-size', 30000, { min: 6 }),
        minFrequency: int(values, 'min-frequency', 2, { min: 0 }),
        lowercase: !flag(values, 'cased'),
        corpusOptions: corpusReadOptions(values, 'lines'),
      },
      io,
    );
    return 0;
  },
};
