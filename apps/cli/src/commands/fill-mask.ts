// `bert fill-mask`: what a pre-trained model predicts at each [MASK] of a text (top-k with probabilities).
import { fillMask, maskedLmOf } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { flag, int, required } from '../args.js';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { ENGINE_OPTIONS, engineArg, openEngine } from '../engine-arg.js';
import { type Command } from '../command.js';
import { fillMaskJson, formatFillMask } from '../fill-mask-format.js';
import { readStdin } from '../io-utils.js';
import { resolveModelArg } from '../model-arg.js';

export const fillMaskCommand: Command = {
  name: 'fill-mask',
  summary: 'Predict the words at [MASK] with a pre-trained model (top-k with probabilities)',
  usage: '--model <dir|hub id> [--top-k 5] [--json] [--engine tfjs|ort [--threads n]] "text with [MASK]"...   (one text per line on stdin when none)',
  options: {
    model: { type: 'string', description: 'HF model directory or hub id (org/name[@revision]) with MLM head weights (bert pretrain, BertForMaskedLM)', valueName: 'dir|id' },
    'top-k': { type: 'string', description: 'candidates per mask', valueName: 'n', default: '5' },
    json: { type: 'boolean', description: 'print one JSON object per text: {text, masks: [{position, candidates: [{score, token, token_str, sequence}]}]}' },
    ...BACKEND_OPTIONS,
    ...ENGINE_OPTIONS,
  },
  async run(values, positionals, io) {
    const model = required(values, 'model');
    const topK = int(values, 'top-k', 5, { min: 1 });
    const engine = engineArg(values);
    await initBackendArg(values, io);
    const texts = positionals.length > 0 ? positionals : (await readStdin(io.stdin)).split('\n').filter((l) => l.trim() !== '');
    const loaded = await loadBert(await resolveModelArg(model, io));
    let ort: Awaited<ReturnType<typeof openEngine>> = null;
    try {
      const lm = maskedLmOf(loaded);
      ort = await openEngine(engine, loaded, io);
      for (const text of texts) {
        const fills = await fillMask(ort ?? lm, loaded.tokenizer, text, { topK });
        io.stdout.write(flag(values, 'json') ? `${fillMaskJson(text, fills)}\n` : formatFillMask(text, fills));
      }
    } finally {
      await ort?.dispose();
      loaded.dispose();
    }
    return 0;
  },
};
