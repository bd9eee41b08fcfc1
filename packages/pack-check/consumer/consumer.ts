// A TypeScript consumer of the installed tarballs, compiled three ways by pack-check.sh: as consumer.cts and
// consumer.mts with --module node16 (imports become require() / import: the types must come from the matching
// .d.cts / .d.ts, or tsc fails with TS1471 / TS1479) and as a .ts with --moduleResolution node10 (no exports map:
// the /node subpaths resolve through typesVersions).
import { tokenizerFromFiles } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { type BackendChoice, initBackend } from '@bertkit/backend';
import { requestDawnAdapter } from '@bertkit/backend/node';
import { BertModel } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import { AdamW } from '@bertkit/training';
import { MetricsWriter } from '@bertkit/training/node';
import { BertForPreTraining } from '@bertkit/pretraining';
import { readCorpus } from '@bertkit/pretraining/node';
import { parseSquadText } from '@bertkit/heads';
import { readSquadFile } from '@bertkit/heads/node';
import { resolveModel } from '@bertkit/hub';
import { buildOnnxModel } from '@bertkit/onnx';
import { createOrtEncoder } from '@bertkit/onnx/node';
import { pipeline } from 'bertkit';
import { pipeline as nodePipeline } from 'bertkit/node';

export const entryPoints = [
  tokenizerFromFiles, loadTokenizer, initBackend, requestDawnAdapter, BertModel, loadModel, AdamW, MetricsWriter,
  BertForPreTraining, readCorpus, parseSquadText, readSquadFile, resolveModel, buildOnnxModel, createOrtEncoder,
  pipeline, nodePipeline,
] as const;

export async function pickCpu(): Promise<BackendChoice['backend']> {
  const choice: BackendChoice = await initBackend({ backend: 'cpu' });
  return choice.backend;
}
