// Vite builds the demo as a static site (dist/). The tfjs wasm binaries are copied next to it under wasm/ so that
// initBackend({ wasmPaths }) finds them without any CDN, and the repository's shipped English model (models/english)
// under models/english/, the model the page loads by default.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

function tfjsWasmFiles(): Plugin {
  const files = readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'));
  return {
    name: 'bertkit-tfjs-wasm',
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: `wasm/${f}`, source: readFileSync(join(wasmDir, f)) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/wasm\/([\w.-]+\.wasm)$/.exec(req.url ?? '');
        if (!m || !files.includes(m[1])) return next();
        res.setHeader('content-type', 'application/wasm');
        res.end(readFileSync(join(wasmDir, m[1])));
      });
    },
  };
}

/** The files of the shipped model the page fetches (fetchModelFiles), served from the repository's models/english. */
const SHIPPED_DIR = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'models', 'english');
const SHIPPED_FILES = ['config.json', 'model.safetensors', 'vocab.txt', 'tokenizer.json', 'tokenizer_config.json'];

function shippedModel(): Plugin {
  const files = SHIPPED_FILES.filter((f) => existsSync(join(SHIPPED_DIR, f)));
  return {
    name: 'bertkit-shipped-model',
    generateBundle() {
      if (!files.includes('config.json')) this.error(`the shipped model: expected ${join(SHIPPED_DIR, 'config.json')}, found none`);
      for (const f of files) this.emitFile({ type: 'asset', fileName: `models/english/${f}`, source: readFileSync(join(SHIPPED_DIR, f)) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = /^\/models\/english\/([\w.-]+)$/.exec(req.url ?? '');
        if (!m || !files.includes(m[1])) return next();
        res.end(readFileSync(join(SHIPPED_DIR, m[1])));
      });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [tfjsWasmFiles(), shippedModel()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
