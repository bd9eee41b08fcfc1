import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ["src/index.ts","src/node.ts"],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
  // an optional dependency (the ort training engine), imported at run time, never bundled
  external: ['onnxruntime-node'],
});
