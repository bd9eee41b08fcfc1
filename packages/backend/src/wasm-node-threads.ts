// Multi-threaded tfjs-backend-wasm in Node. tfjs ships the threaded SIMD build (Emscripten pthreads, XNNPACK's
// thread pool) but never enables it in Node (tfjs#3830): its loader hands the pthread worker to `new Worker` as
// a blob URL, which Node's worker_threads cannot open. Here the same build is instantiated with the worker script
// written to a file and the main script given by path (the approach of tfjs PR 8059), and registered as the
// 'wasm' backend, so every tfjs-backend-wasm kernel runs on it unchanged. Node only (dynamic import).
// Node's modules come through process.getBuiltinModule (Node ≥ 20.16), as in wasm-node.ts, so that browser
// bundles of this package never see a `node:` import.
import * as tf from '@tensorflow/tfjs-core';

interface NodeFs {
  mkdirSync(p: string, o: { recursive: boolean }): void;
  readFileSync(p: string, enc: 'utf8'): string;
  renameSync(a: string, b: string): void;
  writeFileSync(p: string, text: string): void;
}
interface NodeApis {
  fs: NodeFs;
  require: (id: string) => unknown;
  resolve: (id: string) => string;
  tmpdir: () => string;
  cores: () => number;
  join: (...parts: string[]) => string;
  dirname: (p: string) => string;
}

function nodeApis(): NodeApis {
  const proc = globalThis.process as unknown as { getBuiltinModule?: (id: string) => unknown };
  if (typeof proc?.getBuiltinModule !== 'function') throw new Error('needs Node ≥ 20.16 (process.getBuiltinModule)');
  const get = <T>(id: string) => proc.getBuiltinModule!(id) as T;
  const mod = get<{ createRequire(from: string): { (id: string): unknown; resolve(id: string): string } }>('node:module');
  const os = get<{ tmpdir(): string; cpus(): unknown[]; availableParallelism?: () => number }>('node:os');
  const path = get<{ join(...p: string[]): string; dirname(p: string): string }>('node:path');
  const req = mod.createRequire(import.meta.url);
  return {
    fs: get<NodeFs>('node:fs'),
    require: (id) => req(id),
    resolve: (id) => req.resolve(id),
    tmpdir: () => os.tmpdir(),
    cores: () => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
    join: (...p) => path.join(...p),
    dirname: (p) => path.dirname(p),
  };
}

/** The default thread count in Node: the machine's cores (1 where they cannot be read). */
export function defaultWasmThreads(): number {
  try {
    return Math.max(1, nodeApis().cores());
  } catch {
    return 1;
  }
}

const BUILD = 'tfjs-backend-wasm-threaded-simd';

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => unknown;
}
type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** The worker script on disk (written once per tfjs-backend-wasm version into the OS temp folder). */
function workerFile(node: NodeApis, outDir: string, version: string): string {
  const { fs, join } = node;
  const { wasmWorkerContents } = node.require(join(outDir, `${BUILD}.worker.js`)) as { wasmWorkerContents: string };
  // tfjs escapes newlines the same way before making its blob: the contents hold "\n" inside string literals
  const text = wasmWorkerContents.replace(/\n/g, '\\n');
  const dir = join(node.tmpdir(), `bertkit-tfjs-wasm-${version}`);
  const file = join(dir, `${BUILD}.worker.js`);
  try {
    if (fs.readFileSync(file, 'utf8') === text) return file;
  } catch {
    // not there yet
  }
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file); // atomic: concurrent processes never read half a file
  return file;
}

/**
 * Registers the threaded build as tfjs's 'wasm' backend with `threads` XNNPACK threads (replacing the
 * single-threaded registration of the tfjs-backend-wasm import). Call before `tf.setBackend('wasm')`.
 */
export async function registerThreadedWasm(threads: number): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const node = nodeApis();
  const { join } = node;
  const pkgJson = node.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  const version = (JSON.parse(node.fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const outDir = join(node.dirname(pkgJson), 'wasm-out');
  const factory = node.require(join(outDir, `${BUILD}.js`)) as Factory;
  const worker = workerFile(node, outDir, version);
  wasm.setThreadsCount(threads);
  const module = await factory({
    locateFile: (path: string) => (path.endsWith('.worker.js') ? worker : join(outDir, path.endsWith('.wasm') ? `${BUILD}.wasm` : path)),
    mainScriptUrlOrBlob: join(outDir, `${BUILD}.js`),
  });
  // what tfjs-backend-wasm's own loader attaches before constructing its backend
  (module as unknown as { tfjs: Record<string, unknown> }).tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => new wasm.BackendWasm(module as never), 2);
}
