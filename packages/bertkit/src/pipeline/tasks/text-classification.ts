// text-classification: BertForSequenceClassification logits → function_to_apply → labels, as HF's
// TextClassificationPipeline (the best label by default; `top_k` ranks them).
import { applyClassFunction, collateSequences, defaultClassFunction, encodeSequence, labelOf, predictLogits, rankLabels, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { TextClassificationInput, TextClassificationOptions, TextClassificationOutput } from '../types';
import { taskModel } from './task-model';
import { textPair } from './text-input';

/** `inList`: the input is one of a list (HF wraps the best label in a list only for a single string). */
export async function runTextClassification(m: LoadedBert, input: TextClassificationInput, o: TextClassificationOptions, maxLength: number, inList: boolean, forward?: ExternalForward): Promise<TextClassificationOutput> {
  const model = taskModel(m, 'sequence-classification');
  const [text, pair] = textPair(input);
  const feature = encodeSequence(m.tokenizer, text, pair, 0, maxLength);
  const [logits] = await predictLogits(forward ?? model, [feature], (fs) => collateSequences(fs, m.tokenizer.padTokenId));
  const scores = applyClassFunction(logits.data, o.function_to_apply ?? defaultClassFunction(model.config));
  if (o.top_k !== undefined) return rankLabels(model.config, scores, o.top_k);
  const best = scores.indexOf(Math.max(...scores));
  const top = { label: labelOf(model.config, best), score: scores[best] };
  return typeof input === 'string' && !inList ? [top] : top; // HF: a one-element list for a single string
}
