// `bert eval mlm`: a pre-trained model's masked-LM loss and accuracy on held-out text, with the masking it was
// trained with (15 % of tokens, 80/10/10) in eval mode: the number a model card reports.
import { DataConfigError, evaluateMlmOnText } from '@bertkit/pretraining';
import { corpusDocuments, loadPretrainingModel } from '@bertkit/pretraining/node';
import { flag, int, num, required } from '../args.js';
import { initBackendArg } from '../backend-arg.js';
import { UsageError, type Io } from '../command.js';
import { resolveModelArg } from '../model-arg.js';
import { ProgressBar } from '../progress.js';
import { tokenizerFromArg } from '../tokenizer-arg.js';
import { corpusReadOptions } from './vocab.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export async function evalMlm(values: Values, io: Io): Promise<number> {
  const text = required(values, 'text');
  const dir = await resolveModelArg(required(values, 'model'), io);
  const { tokenizer } = await tokenizerFromArg('model', dir);
  const { documents } = corpusDocuments(text, corpusReadOptions(values, 'paragraphs'));
  await initBackendArg(values, io);
  const model = await loadPretrainingModel(dir, { objective: 'mlm' });
  try {
    const progress: { bar?: ProgressBar } = {};
    const r = await evaluateMlmOnText(model, documents, tokenizer, {
      seed: int(values, 'seed', 12345, { min: 0 }),
      maxSeqLength: int(values, 'max-seq-length', 128, { min: 8 }),
      maskedLmProb: num(values, 'masked-lm-prob', 0.15, { min: 0, max: 1 }),
      maxInstances: int(values, 'items', 2000, { min: 1 }),
      onBatch: (i, n) => (progress.bar ??= new ProgressBar({ total: n, label: 'eval mlm', stream: io.stderr })).update(i),
    }).catch((e: unknown) => {
      if (e instanceof DataConfigError) throw new UsageError(`--text ${text}: expected text that yields instances, got none`);
      throw e;
    });
    progress.bar?.done();
    if (flag(values, 'json')) io.stdout.write(`${JSON.stringify({ mlm_loss: r.loss, mlm_accuracy: r.accuracy, predictions: r.predictions, instances: r.instances })}\n`);
    else io.stdout.write(`mlm: ${r.instances} instances, ${r.predictions} masked predictions from ${text}\n  loss ${r.loss.toFixed(4)}, accuracy ${(100 * r.accuracy).toFixed(2)} %\n`);
  } finally {
    model.dispose();
  }
  return 0;
}
