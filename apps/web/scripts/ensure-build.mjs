/* global URL, console */
// `pnpm test` / screenshots / bench run against the BUILT app: build it first when dist/ is missing or older than
// any source file (src/, public/, index.html, vite.config.ts, the shipped model), so a test never checks a stale bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

// the shipped model is copied into dist/ at build time (vite.config.ts), so a newer model is a stale bundle too
const sources = ['src', 'public', 'index.html', 'vite.config.ts', '../../models/english'].map((p) => join(root, p)).filter(existsSync);
if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  console.log('apps/web: dist/ missing or older than the sources, running vite build');
  execSync('pnpm exec vite build', { stdio: 'inherit', cwd: root });
}
