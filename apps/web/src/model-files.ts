// An HF model directory as bytes: config.json + vocab.txt or tokenizer.json + model.safetensors, read from a URL
// prefix, a list of dropped files, or produced by training in the page.

/** The files of one model; kept so that the model can be rebuilt on another backend. */
export interface ModelFiles {
  name: string;
  configJson: string;
  vocabTxt?: string;
  tokenizerJson?: string;
  tokenizerConfigJson?: string;
  safetensors: Uint8Array;
}

/** A model file that is missing or unreadable; the message names the file and where it was looked for. */
export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

async function fetchText(url: string, required: boolean): Promise<string | undefined> {
  const res = await fetch(url).catch((e: unknown) => {
    throw new ModelFilesError(`${url}: the request failed (${e instanceof Error ? e.message : String(e)})`);
  });
  if (!res.ok) {
    if (!required) return undefined;
    throw new ModelFilesError(`${url}: expected HTTP 200, got ${res.status} ${res.statusText}`);
  }
  return res.text();
}

/** Fetches a model from a URL prefix (a directory as served by `bert serve`, a static host or the bundled model). */
export async function fetchModelFiles(base: string, name = base): Promise<ModelFiles> {
  const dir = base.endsWith('/') ? base : `${base}/`;
  const url = (f: string) => new URL(f, new URL(dir, document.baseURI)).href;
  const [configJson, vocabTxt, weights] = await Promise.all([
    fetchText(url('config.json'), true),
    fetchText(url('vocab.txt'), false),
    fetch(url('model.safetensors')),
  ]);
  if (!weights.ok) throw new ModelFilesError(`${url('model.safetensors')}: expected HTTP 200, got ${weights.status} ${weights.statusText}`);
  const tokenizerJson = vocabTxt === undefined ? await fetchText(url('tokenizer.json'), false) : undefined;
  if (vocabTxt === undefined && tokenizerJson === undefined) throw new ModelFilesError(`${dir}: expected vocab.txt or tokenizer.json, found neither`);
  return { name, configJson: configJson!, vocabTxt, tokenizerJson, safetensors: new Uint8Array(await weights.arrayBuffer()) };
}

/** Reads dropped / chosen files (any folder structure: files are matched by base name). */
export async function readModelFiles(files: Iterable<File>): Promise<ModelFiles> {
  const byName = new Map<string, File>();
  for (const f of files) byName.set(f.name, f);
  const need = (n: string) => {
    const f = byName.get(n);
    if (!f) throw new ModelFilesError(`expected ${n} among the files, got ${[...byName.keys()].join(', ') || 'none'}`);
    return f;
  };
  const configJson = await need('config.json').text();
  const safetensors = new Uint8Array(await need('model.safetensors').arrayBuffer());
  const vocabTxt = await byName.get('vocab.txt')?.text();
  const tokenizerJson = await byName.get('tokenizer.json')?.text();
  const tokenizerConfigJson = await byName.get('tokenizer_config.json')?.text();
  if (vocabTxt === undefined && tokenizerJson === undefined) throw new ModelFilesError('expected vocab.txt or tokenizer.json among the files, found neither');
  return { name: 'local files', configJson, vocabTxt, tokenizerJson, tokenizerConfigJson, safetensors };
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
