#!/usr/bin/env bash
# Scaffolds packages/<name> (or apps/<name> with --app): package.json, tsconfig, tsup, vitest.
set -euo pipefail
dir=packages; if [ "${1:-}" = "--app" ]; then dir=apps; shift; fi
name=$1; desc=$2; entries=${3:-index}
p=$dir/$name; mkdir -p $p/src
exports=""; tsupEntries=""
for e in ${entries//,/ }; do
  key="."; [ "$e" != index ] && key="./$e"
  exports="$exports\"$key\": { \"types\": \"./dist/$e.d.ts\", \"import\": \"./dist/$e.js\", \"require\": \"./dist/$e.cjs\" },"
  tsupEntries="$tsupEntries\"src/$e.ts\","
  [ -f $p/src/$e.ts ] || echo "export {};" > $p/src/$e.ts
done
exports="${exports%,}"; tsupEntries="${tsupEntries%,}"
pkgname="@bertkit/$name"
cat > $p/package.json <<JSON
{
  "name": "$pkgname",
  "version": "0.1.0",
  "description": "$desc",
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "exports": { $exports, "./package.json": "./package.json" },
  "files": ["dist", "README.md"],
  "scripts": {
    "build": "tsup",
    "test": "vitest run",
    "typecheck": "tsc --noEmit",
    "lint": "eslint src"
  }
}
JSON
cat > $p/tsconfig.json <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "outDir": "dist", "rootDir": "." },
  "include": ["src", "test", "bench", "*.ts"]
}
JSON
cat > $p/tsup.config.ts <<TS
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [$tsupEntries],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  treeshake: true,
});
TS
cat > $p/vitest.config.ts <<TS
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
TS
echo "created $p"
