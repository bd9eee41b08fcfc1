// Vite builds the demo as a static site (dist/). The tfjs wasm binaries are copied next to it under wasm/ so that
// initBackend({ wasmPaths }) finds them without any CDN.
import { readFileSync, readdirSync } from 'node:fs';
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

export default defineConfig({
  base: './',
  plugins: [tfjsWasmFiles()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
