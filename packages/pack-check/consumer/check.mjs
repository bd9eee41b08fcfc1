// ESM consumer of the installed tarballs (Node's "import" condition): every entry point loads and has its export;
// without the optional peers, initBackend() falls back to wasm and the ort engine says how to opt in.
import { readFileSync } from 'node:fs';

const entries = JSON.parse(readFileSync(new URL('./entries.json', import.meta.url), 'utf8'));
for (const [specifier, name] of Object.entries(entries)) {
  const mod = await import(specifier);
  if (typeof mod[name] !== 'function') throw new Error(`${specifier}: expected a function export ${name}, got ${typeof mod[name]}`);
}

const { initBackend } = await import('@bertkit/backend');
const choice = await initBackend();
if (choice.backend !== 'wasm') throw new Error(`initBackend() without webgpu: expected wasm, got ${choice.backend}`);
if (!/npm i webgpu/.test(choice.reasons.webgpu ?? '')) {
  throw new Error(`initBackend() reasons.webgpu: expected it to say "npm i webgpu", got ${choice.reasons.webgpu}`);
}

const { createOrtEncoder } = await import('@bertkit/onnx/node');
const ortError = await createOrtEncoder(new Uint8Array(0)).then(() => null, (e) => e);
if (!/npm install onnxruntime-node/.test(ortError?.message ?? '')) {
  throw new Error(`createOrtEncoder without onnxruntime-node: expected an install hint, got ${ortError?.message}`);
}

console.log(`esm: ${Object.keys(entries).length} entry points; initBackend() -> ${choice.backend}; webgpu: ${choice.reasons.webgpu}`);
