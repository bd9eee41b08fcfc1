// An HF model directory as bytes and text: config.json, model.safetensors and the tokenizer files (vocab.txt,
// tokenizer.json, tokenizer_config.json, whichever are there), fetched from a URL prefix, read from dropped files,
// or produced by training in the page. Building the model from them is @bertkit/heads' `loadBertFromFiles`.
import { readSafetensors } from '@bertkit/encoder';
import type { BertFiles } from '@bertkit/heads';

/** The files of one model directory as text and bytes (what is fetched, dropped, or downloaded). */
export interface ModelBytes {
  /** Names the model in the page and in errors (a URL, "local files", ...). */
  source: string;
  configJson: string;
  safetensors: Uint8Array;
  vocabTxt?: string;
  tokenizerJson?: string;
  tokenizerConfigJson?: string;
}

/** What the loader takes: the same files with model.safetensors read into tensors. Kept to rebuild on another backend. */
export type ModelFiles = BertFiles;

/** The tokenizer files of a model (copied verbatim into a model trained from it). */
export type TokenizerFileSet = Pick<ModelBytes, 'vocabTxt' | 'tokenizerJson' | 'tokenizerConfigJson'>;

/** A model file that is missing or unreadable; the message names the file and where it was looked for. */
export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

/** The tokenizer files of `f`, without the absent ones. */
export function tokenizerFilesOf(f: TokenizerFileSet): TokenizerFileSet {
  const out: TokenizerFileSet = {};
  if (f.vocabTxt !== undefined) out.vocabTxt = f.vocabTxt;
  if (f.tokenizerJson !== undefined) out.tokenizerJson = f.tokenizerJson;
  if (f.tokenizerConfigJson !== undefined) out.tokenizerConfigJson = f.tokenizerConfigJson;
  return out;
}

/** Reads model.safetensors into tensors (a SafetensorsError naming the source when the bytes are not one). */
export function modelFilesOf(b: ModelBytes): ModelFiles {
  let tensors: ModelFiles['tensors'];
  try {
    tensors = readSafetensors(b.safetensors).tensors;
  } catch (e) {
    throw new ModelFilesError(`${b.source}/model.safetensors: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { source: b.source, configJson: b.configJson, tensors, ...tokenizerFilesOf(b) };
}

async function get(url: string): Promise<Response> {
  return fetch(url).catch((e: unknown) => {
    throw new ModelFilesError(`${url}: the request failed (${e instanceof Error ? e.message : String(e)})`);
  });
}

async function fetchText(url: string, required: boolean): Promise<string | undefined> {
  const res = await get(url);
  if (res.ok) return res.text();
  if (!required) return undefined;
  throw new ModelFilesError(`${url}: expected HTTP 200, got ${res.status} ${res.statusText}`);
}

/** Fetches a model from a URL prefix (a directory as served by `bert serve`, a static host or the shipped model). */
export async function fetchModelFiles(base: string, source = base): Promise<ModelFiles> {
  const dir = base.endsWith('/') ? base : `${base}/`;
  const url = (f: string) => new URL(f, new URL(dir, document.baseURI)).href;
  const [configJson, vocabTxt, tokenizerJson, tokenizerConfigJson, weights] = await Promise.all([
    fetchText(url('config.json'), true),
    fetchText(url('vocab.txt'), false),
    fetchText(url('tokenizer.json'), false),
    fetchText(url('tokenizer_config.json'), false),
    get(url('model.safetensors')),
  ]);
  if (!weights.ok) throw new ModelFilesError(`${url('model.safetensors')}: expected HTTP 200, got ${weights.status} ${weights.statusText}`);
  const safetensors = new Uint8Array(await weights.arrayBuffer());
  return modelFilesOf({ source, configJson: configJson!, safetensors, vocabTxt, tokenizerJson, tokenizerConfigJson });
}

/** Reads dropped / chosen files (any folder structure: files are matched by base name). */
export async function readModelFiles(files: Iterable<File>, source = 'local files'): Promise<ModelFiles> {
  const byName = new Map<string, File>();
  for (const f of files) byName.set(f.name, f);
  const need = (n: string) => {
    const f = byName.get(n);
    if (!f) throw new ModelFilesError(`expected ${n} among the files, got ${[...byName.keys()].join(', ') || 'none'}`);
    return f;
  };
  return modelFilesOf({
    source,
    configJson: await need('config.json').text(),
    safetensors: new Uint8Array(await need('model.safetensors').arrayBuffer()),
    vocabTxt: await byName.get('vocab.txt')?.text(),
    tokenizerJson: await byName.get('tokenizer.json')?.text(),
    tokenizerConfigJson: await byName.get('tokenizer_config.json')?.text(),
  });
}

/** Starts a browser download of one file. */
export function download(name: string, data: string | Uint8Array, type = 'application/octet-stream'): void {
  const blob = new Blob([typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer)], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Downloads the files of a model directory (config.json, model.safetensors and the tokenizer files it has). */
export function downloadModel(b: ModelBytes): void {
  download('config.json', b.configJson, 'application/json');
  if (b.vocabTxt !== undefined) download('vocab.txt', b.vocabTxt, 'text/plain');
  if (b.tokenizerJson !== undefined) download('tokenizer.json', b.tokenizerJson, 'application/json');
  if (b.tokenizerConfigJson !== undefined) download('tokenizer_config.json', b.tokenizerConfigJson, 'application/json');
  download('model.safetensors', b.safetensors);
}
