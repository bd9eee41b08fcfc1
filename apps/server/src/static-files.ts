// Files the browser demo needs from `bert serve`: the built web app (`--web <dir>`, served under /app/) and each
// served model's HF files (`GET /v1/models/:name/files/:file`), so the demo's "load from URL" can point at
// `<server>/v1/models/<name>/files/`. Only a fixed list of model files is served, and app paths are resolved
// inside the app folder, so no request can read anything else.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { ApiError, ServerConfigError } from './errors.js';
import type { ServedModel } from './model-registry.js';

/** The HF files a model directory may hold that a client can fetch. */
export const MODEL_FILES = [
  'config.json',
  'model.safetensors',
  'pytorch_model.bin',
  'vocab.txt',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.safetensors': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function sendFile(reply: FastifyReply, path: string): FastifyReply {
  return reply.type(TYPES[extname(path)] ?? 'application/octet-stream').send(createReadStream(path));
}

export function registerModelFiles(app: FastifyInstance, models: Map<string, ServedModel>): void {
  app.get<{ Params: { name: string; file: string } }>('/v1/models/:name/files/:file', async (req, reply) => {
    const { name, file } = req.params;
    const model = models.get(name);
    if (!model) throw new ApiError(404, 'model_not_found', `model: expected one of ${[...models.keys()].join(', ')}, got ${JSON.stringify(name)}`, 'name');
    if (!(MODEL_FILES as readonly string[]).includes(file)) {
      throw new ApiError(404, 'file_not_found', `file: expected one of ${MODEL_FILES.join(', ')}, got ${JSON.stringify(file)}`, 'file');
    }
    for (const dir of [model.dir, model.tokenizerDir]) {
      if (dir && (await isFile(join(dir, file)))) return sendFile(reply, join(dir, file));
    }
    throw new ApiError(404, 'file_not_found', `file: ${file} is not in model ${name}'s directory`, 'file');
  });
}

export function registerWebApp(app: FastifyInstance, webDir: string): void {
  const root = resolve(webDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new ServerConfigError('webDir', 'a built web app folder with index.html (pnpm --filter @bertkit/web build)', JSON.stringify(webDir));
  }
  app.get('/', async (_req, reply) => reply.redirect('/app/'));
  app.get<{ Params: { '*': string } }>('/app/*', async (req, reply) => {
    const rel = decodeURIComponent(req.params['*'] || 'index.html');
    const path = resolve(root, rel);
    if (path !== root && !path.startsWith(root + sep)) throw new ApiError(404, 'not_found', `no file ${JSON.stringify(rel)} in the web app`, null);
    if (await isFile(path)) return sendFile(reply, path);
    if (await isFile(join(path, 'index.html'))) return sendFile(reply, join(path, 'index.html'));
    throw new ApiError(404, 'not_found', `no file ${JSON.stringify(rel)} in the web app`, null);
  });
}
