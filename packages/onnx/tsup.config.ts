import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ["src/index.ts","src/node.ts"],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
  // An optional dependency: imported at run time when the ort engine is used, never bundled.
  external: ['onnxruntime-node'],
});
