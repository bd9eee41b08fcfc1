#!/usr/bin/env bash
# Scaffolds packages/<name> (or apps/<name> with --app): package.json, tsconfig, tsup, vitest.
set -euo pipefail
dir=packages; if [ "${1:-}" = "--app" ]; then dir=apps; shift; fi
name=$1; desc=$2; entries=${3:-index}
p=$dir/$name; mkdir -p $p/src
# Types per condition (.d.ts for import, .d.cts for require: tsup writes both), and typesVersions so that
# subpaths resolve under node10 moduleResolution too. See docs/releasing.md.
exports=""; tsupEntries=""; typesVersions=""
for e in ${entries//,/ }; do
  key="."; [ "$e" != index ] && key="./$e"
  exports="$exports\"$key\": { \"import\": { \"types\": \"./dist/$e.d.ts\", \"default\": \"./dist/$e.js\" }, \"require\": { \"types\": \"./dist/$e.d.cts\", \"default\": \"./dist/$e.cjs\" } },"
  [ "$e" != index ] && typesVersions="$typesVersions\"$e\": [\"./dist/$e.d.cts\"],"
  tsupEntries="$tsupEntries\"src/$e.ts\","
  [ -f $p/src/$e.ts ] || echo "export {};" > $p/src/$e.ts
done
exports="${exports%,}"; tsupEntries="${tsupEntries%,}"
[ -n "$typesVersions" ] && typesVersions="
  \"typesVersions\": { \"*\": { ${typesVersions%,} } },"
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
  "types": "./dist/index.d.cts",
  "exports": { $exports, "./package.json": "./package.json" },$typesVersions
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
