// fill-mask: @bertkit/heads' fillMask (the masked-LM head of the checkpoint), shaped as HF's FillMaskPipeline.
import { fillMask, maskedLmOf, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { FillMaskOptions, FillMaskOutput, TextInput } from '../types';
import { textPair } from './text-input';

export async function runFillMask(m: LoadedBert, input: TextInput, o: FillMaskOptions, maxLength: number, _inList: boolean, forward?: ExternalForward): Promise<FillMaskOutput> {
  const [text, pair] = textPair(input);
  const lm = maskedLmOf(m); // an error naming the checkpoint when it has no masked-LM head, whichever the engine
  const fills = await fillMask(forward ?? lm, m.tokenizer, pair === undefined ? text : [text, pair], { topK: o.top_k ?? 5, targets: o.targets, maxLength });
  return fills.length === 1 ? fills[0].candidates : fills.map((f) => f.candidates);
}
