// `bert export onnx`: a BERT (any BertFor* head config.json names) as an ONNX graph built by @bertkit/onnx, in the
// folder layout transformers.js and optimum load (`onnx/model.onnx` beside config.json and the tokenizer files).
import { HEAD_KINDS, type HeadKind } from '@bertkit/onnx';
import { exportOnnxDir } from '@bertkit/onnx/node';
import { choice, flag, required } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { resolveModelArg } from '../model-arg.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a model to ONNX (onnx/model.onnx + config + tokenizer, as transformers.js loads it)',
  usage: 'onnx --model <dir|hub id> --out <dir> [--head <kind>] [--optimize]',
  options: {
    model: { type: 'string', description: 'HF model directory or hub id (org/name[@revision])', valueName: 'dir|id' },
    out: { type: 'string', description: 'output folder (created)', valueName: 'dir' },
    head: { type: 'string', description: `${HEAD_KINDS.join(' | ')} (default: what config.json architectures names)`, valueName: 'kind' },
    optimize: { type: 'boolean', description: "use ONNX Runtime's fused contrib ops (Attention, SkipLayerNormalization, BiasGelu); ORT only" },
  },
  async run(values, positionals, io) {
    const [format] = positionals;
    if (format !== 'onnx') throw new UsageError(`format: expected 'onnx', got '${format ?? ''}'`);
    const dir = await resolveModelArg(required(values, 'model'), io);
    const out = required(values, 'out');
    const head = values.head === undefined ? undefined : choice<HeadKind>(values, 'head', HEAD_KINDS, 'base');
    const t0 = performance.now();
    const r = await exportOnnxDir(dir, out, { ...(head ? { head } : {}), optimize: flag(values, 'optimize') });
    const mb = (r.bytes.length / 1e6).toFixed(1);
    io.stdout.write(
      `exported ${dir} (${r.head}) to ${r.modelPath} (${mb} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n` +
        `  inputs:  ${r.inputs.map((i) => `${i.name} [${i.dims.join(', ')}]`).join(', ')}\n` +
        `  outputs: ${r.outputs.map((o) => `${o.name} [${o.dims.join(', ')}]`).join(', ')}\n` +
        `  files:   ${r.files.join(', ')}\n`,
    );
    return 0;
  },
};
