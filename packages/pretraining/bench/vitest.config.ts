import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Benchmarks only (`pnpm bench`): never part of `pnpm test`.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { include: ['bench/**/*.bench-run.ts'], testTimeout: 3_600_000, reporters: ['verbose'] },
});
