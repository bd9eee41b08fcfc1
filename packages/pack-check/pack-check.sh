#!/usr/bin/env bash
# What a user of the published packages gets, checked before a release and in CI (`turbo run test` runs it after
# building every package). For each publishable package under packages/:
#   1. `pnpm pack` (as `pnpm publish` does: workspace:^ becomes the real version range); no `workspace:` is left;
#   2. arethetypeswrong on the tarball: clean under node10, node16 (from CJS and from ESM) and bundler;
# then, in a fresh project outside the repo, plain `npm install` of all the tarballs (third-party dependencies
# come from the npm registry, --prefer-offline uses npm's cache):
#   3. the optional peers (webgpu, onnxruntime-node) are not installed by default;
#   4. every entry point imports from an ESM .mjs and a CommonJS .cjs (consumer/check.{mjs,cjs});
#   5. tsc compiles consumer/consumer.ts as .cts and .mts with --module node16 (plus require.cts: import = require),
#      and as .ts with node10 resolution.
# Usage: bash packages/pack-check/pack-check.sh       (packages must be built: `pnpm build`)
#   PACK_CHECK_SIZES=1  also measures `du -sh node_modules` of @bertkit/heads alone, without and with `webgpu`
#                       (downloads Dawn, ~130 MB: not done in CI)
#   PACK_CHECK_KEEP=1   keeps the temp directory and prints its path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PACKAGES=(tokenizer backend encoder training pretraining heads hub onnx bertkit)
HEADS_CLOSURE=(heads backend encoder tokenizer training)

if command -v pnpm >/dev/null 2>&1; then pnpm=(pnpm); else pnpm=(npx -y pnpm@9.15.9); fi
# pnpm passes its own settings to scripts as npm_config_*; the consumer project must see plain npm defaults.
npm_clean() { env $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/-u \1/p' | grep -v -e '_cache$' -e '_registry$') npm "$@"; }
fail() { echo "pack-check: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bertkit-pack-check.XXXXXX")
if [ "${PACK_CHECK_KEEP:-}" = 1 ]; then echo "pack-check: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/tgz"

# pnpm pack names a tarball after the package: @bertkit/heads → bertkit-heads-0.1.0.tgz, bertkit → bertkit-0.1.0.tgz
tarball() { echo "$work/tgz/$(node -p "const j = require('$root/packages/$1/package.json'); j.name.replace('@', '').replace('/', '-') + '-' + j.version").tgz"; }

for p in "${PACKAGES[@]}"; do
  [ -f "$root/packages/$p/dist/index.js" ] || fail "packages/$p/dist is missing: build first (pnpm build)"
  (cd "$root/packages/$p" && "${pnpm[@]}" pack --pack-destination "$work/tgz" >/dev/null)
  t=$(tarball "$p")
  [ -f "$t" ] || fail "pnpm pack of packages/$p did not write $t"
  if tar -xOzf "$t" package/package.json | grep -n 'workspace:'; then fail "$t: package.json still has workspace: ranges"; fi
done
echo "pack-check: packed ${#PACKAGES[@]} packages, no workspace: ranges"

attw=$root/node_modules/.bin/attw
for p in "${PACKAGES[@]}"; do
  "$attw" "$(tarball "$p")" --format table-flipped --no-color >"$work/attw-$p.txt" 2>&1 || {
    cat "$work/attw-$p.txt"
    fail "arethetypeswrong found problems in packages/$p"
  }
done
echo "pack-check: arethetypeswrong clean for ${#PACKAGES[@]} packages (node10, node16 CJS/ESM, bundler)"

app=$work/app
mkdir -p "$app"
cp "$here"/consumer/* "$app/"
echo '{ "name": "bertkit-consumer", "version": "0.0.0", "private": true }' >"$app/package.json"
tarballs=(); for p in "${PACKAGES[@]}"; do tarballs+=("$(tarball "$p")"); done
# @types/node as a TypeScript user would have it (for the /node entry points' declarations)
(cd "$app" && npm_clean install --prefer-offline --no-audit --no-fund --loglevel=error "${tarballs[@]}" @types/node@^20 >/dev/null)
for peer in webgpu onnxruntime-node; do
  [ ! -e "$app/node_modules/$peer" ] || fail "$peer was installed by default; it must stay an optional peer"
done
echo "pack-check: npm install of the tarballs: $(du -sh "$app/node_modules" | cut -f1) (no webgpu, no onnxruntime-node)"

(cd "$app" && node check.mjs && node check.cjs)

tsc=$root/node_modules/.bin/tsc
tsflags=(--noEmit --strict --target es2022 --lib es2022,dom)
cp "$app/consumer.ts" "$app/consumer.cts"
cp "$app/consumer.ts" "$app/consumer.mts"
(cd "$app" && "$tsc" "${tsflags[@]}" --module node16 --moduleResolution node16 consumer.cts consumer.mts require.cts) ||
  fail "tsc --module node16 failed on a .cts / .mts consumer"
(cd "$app" && "$tsc" "${tsflags[@]}" --module commonjs --moduleResolution node10 consumer.ts) ||
  fail "tsc --moduleResolution node10 failed on a .ts consumer"
echo "pack-check: tsc clean: consumer.cts, require.cts, consumer.mts (--module node16), consumer.ts (node10)"

if [ "${PACK_CHECK_SIZES:-}" = 1 ]; then
  heads=$work/heads
  mkdir -p "$heads"
  echo '{ "name": "heads-user", "version": "0.0.0", "private": true }' >"$heads/package.json"
  closure=(); for p in "${HEADS_CLOSURE[@]}"; do closure+=("$(tarball "$p")"); done
  (cd "$heads" && npm_clean install --prefer-offline --no-audit --no-fund --loglevel=error "${closure[@]}" >/dev/null)
  echo "pack-check: npm i @bertkit/heads: $(du -sh "$heads/node_modules" | cut -f1)"
  (cd "$heads" && npm_clean install --prefer-offline --no-audit --no-fund --loglevel=error webgpu@"$(node -p "require('$root/packages/backend/package.json').devDependencies.webgpu")" >/dev/null)
  echo "pack-check: npm i @bertkit/heads webgpu: $(du -sh "$heads/node_modules" | cut -f1)"
fi
