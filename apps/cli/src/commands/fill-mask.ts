// `bert fill-mask`: what a pre-trained model predicts at each [MASK] of a text (top-k with probabilities).
import { BACKEND_NAMES, initBackend, type BackendName } from '@bertkit/backend';
import { loadPretrainingModel } from '@bertkit/pretraining/node';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { choice, flag, int, required } from '../args.js';
import { type Command } from '../command.js';
import { fillMask, formatFillMask } from '../fill-mask.js';
import { readStdin } from '../io-utils.js';

export const fillMaskCommand: Command = {
  name: 'fill-mask',
  summary: 'Predict the words at [MASK] with a pre-trained model (top-k with probabilities)',
  usage: '--model <dir> [--top-k 5] [--json] "text with [MASK]"...   (one text per line on stdin when none)',
  options: {
    model: { type: 'string', description: 'HF model directory with MLM head weights (from bert pretrain, or BertForMaskedLM)', valueName: 'dir' },
    'top-k': { type: 'string', description: 'candidates per mask', valueName: 'n', default: '5' },
    json: { type: 'boolean', description: 'print one JSON object per text' },
    backend: { type: 'string', description: `${BACKEND_NAMES.join(' | ')} (default: wasm, else cpu)`, valueName: 'name' },
  },
  async run(values, positionals, io) {
    const dir = required(values, 'model');
    const topK = int(values, 'top-k', 5, { min: 1 });
    const backend = values.backend === undefined ? undefined : choice<BackendName>(values, 'backend', BACKEND_NAMES, 'cpu');
    await initBackend(backend ? { backend } : { prefer: ['wasm', 'cpu'] });
    const texts = positionals.length > 0 ? positionals : (await readStdin(io.stdin)).split('\n').filter((l) => l.trim() !== '');
    const tokenizer = await loadTokenizer(dir);
    const model = await loadPretrainingModel(dir, { objective: 'mlm' });
    try {
      for (const text of texts) {
        const r = fillMask(model, tokenizer, text, topK);
        io.stdout.write(flag(values, 'json') ? `${JSON.stringify({ text, masks: r.masks })}\n` : formatFillMask(r));
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};
