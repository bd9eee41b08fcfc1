// `bert eval mlm`: a pre-trained model's masked-LM loss and accuracy on held-out text, with the masking it was
// trained with (15 % of tokens, 80/10/10) in eval mode: the number a model card reports.
import { Rng } from '@bertkit/backend';
import { evaluateMlm, predictionsPerInstance, pretrainingInstances, resolveDataOptions, type TrainingInstance } from '@bertkit/pretraining';
import { corpusDocuments, loadPretrainingModel } from '@bertkit/pretraining/node';
import { choice, flag, int, num, required } from '../args.js';
import { initBackendArg } from '../backend-arg.js';
import { UsageError, type Io } from '../command.js';
import { resolveModelArg } from '../model-arg.js';
import { ProgressBar } from '../progress.js';
import { tokenizerFromArg } from '../tokenizer-arg.js';
import { CORPUS_FORMATS } from './vocab.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export async function evalMlm(values: Values, io: Io): Promise<number> {
  const text = required(values, 'text');
  const dir = await resolveModelArg(required(values, 'model'), io);
  const { tokenizer } = await tokenizerFromArg('model', dir);
  const opts = resolveDataOptions({
    maxSeqLength: int(values, 'max-seq-length', 128, { min: 8 }),
    maskedLmProb: num(values, 'masked-lm-prob', 0.15, { min: 0, max: 1 }),
    dupeFactor: 1,
  });
  const maxInstances = int(values, 'items', 2000, { min: 1 });
  const { documents } = corpusDocuments(text, { format: choice(values, 'corpus-format', CORPUS_FORMATS, 'paragraphs'), gutenberg: flag(values, 'gutenberg') });
  const instances: TrainingInstance[] = [];
  for await (const x of pretrainingInstances(documents, tokenizer, { ...opts, objective: 'mlm' }, new Rng(int(values, 'seed', 12345, { min: 0 })))) {
    instances.push(x);
    if (instances.length >= maxInstances) break;
  }
  if (instances.length === 0) throw new UsageError(`--text ${text}: expected text that yields instances, got none`);
  await initBackendArg(values, io);
  const model = await loadPretrainingModel(dir, { objective: 'mlm' });
  try {
    const bar = new ProgressBar({ total: Math.ceil(instances.length / 32), label: 'eval mlm', stream: io.stderr });
    const r = await evaluateMlm(model, instances, { batchSize: 32, maxSeqLength: opts.maxSeqLength, maxPredictions: predictionsPerInstance(opts, 'mlm'), padId: tokenizer.padTokenId, onBatch: (i) => bar.update(i) });
    bar.done();
    if (flag(values, 'json')) io.stdout.write(`${JSON.stringify({ mlm_loss: r.loss, mlm_accuracy: r.accuracy, predictions: r.predictions, instances: r.instances })}\n`);
    else io.stdout.write(`mlm: ${r.instances} instances, ${r.predictions} masked predictions from ${text}\n  loss ${r.loss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)} %\n`);
  } finally {
    model.dispose();
  }
  return 0;
}
