// feature-extraction: the encoder's last hidden state per token (HF), or one pooled vector per text
// (transformers.js' `pooling` / `normalize`), through @bertkit/heads' embedTokens / embedTexts.
import { TaskInputError, embedTexts, embedTokens, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { FeatureExtractionOptions, FeatureExtractionOutput, TextInput } from '../types';
import { textPair } from './text-input';

const POOLINGS = ['none', 'mean', 'cls', 'pooled'] as const;

export async function runFeatureExtraction(m: LoadedBert, input: TextInput, o: FeatureExtractionOptions, maxLength: number, _inList: boolean, forward?: ExternalForward): Promise<FeatureExtractionOutput> {
  const pooling = o.pooling ?? 'none';
  if (!POOLINGS.includes(pooling)) throw new TaskInputError('pooling', POOLINGS.join(' | '), JSON.stringify(pooling));
  const normalize = o.normalize ?? false;
  const [text, pair] = textPair(input);
  const texts = [pair === undefined ? text : ([text, pair] as const)];
  if (pooling === 'none') return embedTokens(forward ?? m.bert, m.tokenizer, texts, { normalize, maxLength }); // [1][T][H]
  return embedTexts(forward ?? m.bert, m.tokenizer, texts, { pooling, normalize, maxLength }); // [1][H]
}
