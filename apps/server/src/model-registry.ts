// Loads the served models through @bertkit/heads' one loader (`loadBert`): encoder, tokenizer, the masked-LM head
// when the checkpoint has `cls.predictions.*` (fill-mask) and the BertFor<Task> head config.json `architectures`
// names (as HF pipelines choose it). Every model serves tokenize and embeddings (its encoder). A model named by a
// hub id instead of a directory is first resolved into the HF cache (@bertkit/hub `resolveModel`).
import type { BertConfig, BertModel, MlmHead } from '@bertkit/encoder';
import type { BertTaskModel, ExternalForward, HeadKind } from '@bertkit/heads';
import { loadBert } from '@bertkit/heads/node';
import { createOrtBert } from '@bertkit/onnx/node';
import { resolveModel, type DownloadProgress } from '@bertkit/hub';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelSpec, ResolvedOptions } from './options.js';
import { readSentenceTransformersConfig, type SentenceTransformersConfig } from './sentence-transformers.js';

export type Operation = 'tokenize' | 'embeddings' | 'fill-mask' | 'classify' | 'qa' | 'ner' | 'multiple-choice';

const OPERATION_OF: Record<HeadKind, Operation> = {
  'sequence-classification': 'classify',
  'token-classification': 'ner',
  'question-answering': 'qa',
  'multiple-choice': 'multiple-choice',
};

/** Where a model's directory came from: given as a directory, or a hub id found in the HF cache or downloaded. */
export interface ModelOrigin {
  source: 'local' | 'cache' | 'hub';
  /** The hub id as given (hub and cache only). */
  id?: string;
  commit?: string;
  /** Files downloaded while starting (hub only). */
  downloaded?: string[];
}

/** A model spec whose `dir` is a directory on disk, with where it came from. */
export interface ResolvedSpec extends ModelSpec {
  origin: ModelOrigin;
}

export interface ServedModel {
  name: string;
  /** The model directory (for a hub id: its snapshot in the HF cache). */
  dir: string;
  /** Where its tokenizer files are, when not in `dir`. */
  tokenizerDir?: string;
  origin: ModelOrigin;
  config: BertConfig;
  tokenizer: BertTokenizer;
  encoder: BertModel;
  /** The BertFor<Task> model when the checkpoint has a task head (its encoder is `encoder`). */
  task: BertTaskModel | null;
  /** The checkpoint's masked-LM head (`cls.predictions.*`), for fill-mask. */
  mlm: MlmHead | null;
  /**
   * With engine 'ort': the ONNX Runtime session of the checkpoint (@bertkit/onnx createOrtBert: the head above
   * plus the encoder outputs) that computes every forward pass; null with engine 'tfjs'.
   */
  forward: ExternalForward | null;
  operations: Operation[];
  /** Longest sequence in tokens (max_position_embeddings unless the server lowers it). */
  maxTokens: number;
  /** Pooling and prompts of a sentence-transformers folder (the TEI routes use them). */
  sentenceTransformers: SentenceTransformersConfig;
  dispose(): void;
}

/** An existing directory stays as it is; anything else is a hub id (`org/name[@revision]`) resolved into the HF cache. */
export async function resolveSpec(spec: ModelSpec, onProgress?: (p: DownloadProgress) => void): Promise<ResolvedSpec> {
  if (existsSync(spec.dir) && statSync(spec.dir).isDirectory()) return { ...spec, dir: resolve(spec.dir), origin: { source: 'local' } };
  const r = await resolveModel(spec.dir, onProgress ? { onProgress } : {});
  const origin: ModelOrigin = { source: r.source, id: spec.dir, ...(r.commit ? { commit: r.commit } : {}), ...(r.downloaded?.length ? { downloaded: r.downloaded } : {}) };
  return { ...spec, dir: r.dir, origin };
}

export async function loadServedModel(spec: ResolvedSpec, options: Pick<ResolvedOptions, 'maxTokens' | 'engine' | 'threads'>): Promise<ServedModel> {
  const { maxTokens } = options;
  const sentenceTransformers = readSentenceTransformersConfig(spec.dir);
  const loaded = await loadBert(spec.dir, spec.tokenizerDir ? { tokenizerDir: spec.tokenizerDir } : {});
  let ort: Awaited<ReturnType<typeof createOrtBert>> | null = null;
  if (options.engine === 'ort') {
    try {
      ort = await createOrtBert(loaded, options.threads !== undefined ? { threads: options.threads } : {});
    } catch (e) {
      loaded.dispose();
      throw e;
    }
  }
  const { config, task, mlm } = loaded;
  const operations: Operation[] = ['tokenize', 'embeddings'];
  if (mlm) operations.push('fill-mask');
  if (task) operations.push(OPERATION_OF[task.kind]);
  return {
    name: spec.name,
    dir: spec.dir,
    tokenizerDir: spec.tokenizerDir,
    origin: spec.origin,
    config,
    tokenizer: loaded.tokenizer,
    encoder: loaded.bert,
    task,
    mlm,
    forward: ort,
    operations,
    maxTokens: Math.min(maxTokens ?? config.maxPositionEmbeddings, config.maxPositionEmbeddings),
    sentenceTransformers,
    dispose: () => {
      loaded.dispose();
      void ort?.dispose();
    },
  };
}

/** One line saying where a served model came from, for the startup log. */
export function describeOrigin(m: Pick<ServedModel, 'dir' | 'origin'>): string {
  const o = m.origin;
  if (o.source === 'local') return m.dir;
  const at = o.commit ? `@${o.commit.slice(0, 12)}` : '';
  const how = o.source === 'hub' ? `downloaded from the hub (${o.downloaded?.length ?? 0} files)` : 'from the HF cache';
  return `${o.id}${at} ${how}: ${m.dir}`;
}
