import * as tf from '@tensorflow/tfjs-core';
import { keptSummary } from './backends/webgpu.js';
import type { AdapterSummary, BackendChoice, BackendName } from './types.js';

/** tfjs's name of each backend ('tensorflow' for both tfjs-node packages). */
const TF_NAMES: Record<BackendName, string> = {
  webgpu: 'webgpu',
  'tfjs-node': 'tensorflow',
  'tfjs-node-gpu': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendMemory {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  /** WebGPU only: bytes held in GPU buffers. */
  numBytesInGPU?: number;
  /** tfjs cannot count some bytes exactly (e.g. strings); see `reasons`. */
  unreliable: boolean;
  reasons?: string[];
}

export interface BackendReport {
  /** The current backend by bertkit's name, or null when no backend is initialised yet. */
  backend: BackendName | null;
  /** tfjs's name of it ('tensorflow' for tfjs-node). */
  tfBackend: string | null;
  /** WebGPU: the adapter, from the initBackend choice when given, else what the tfjs backend kept (vendor, arch). */
  adapterInfo?: Partial<AdapterSummary>;
  /** wasm: whether the binary runs with SIMD and with threads. */
  wasm?: { simd: boolean; threads: boolean };
  /** tf.memory() of the current backend, or null when none is initialised. */
  memory: BackendMemory | null;
  /** One line for logs and status pages, e.g. "webgpu (llvmpipe, compatibility, software) · 12 tensors, 3.4 MB". */
  summary: string;
}

function bertkitName(tfName: string, choice?: BackendChoice): BackendName | null {
  if (choice !== undefined && TF_NAMES[choice.backend] === tfName) return choice.backend;
  if (tfName === 'tensorflow') {
    const b = tf.engine().backend as unknown as { isGPUPackage?: boolean };
    return b.isGPUPackage ? 'tfjs-node-gpu' : 'tfjs-node';
  }
  return (Object.keys(TF_NAMES) as BackendName[]).find((n) => TF_NAMES[n] === tfName) ?? null;
}

async function wasmFlags(): Promise<{ simd: boolean; threads: boolean } | undefined> {
  try {
    const env = tf.env();
    return {
      simd: Boolean(await env.getAsync('WASM_HAS_SIMD_SUPPORT')),
      threads: Boolean(await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
    };
  } catch {
    return undefined; // flags not registered: tfjs-backend-wasm not loaded
  }
}

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

/**
 * What the apps show about the backend: bertkit's name for it, the WebGPU adapter, wasm's SIMD/threads, and
 * tf.memory(). Pass the {@link BackendChoice} initBackend returned to get the full adapter description.
 * Never initialises a backend itself.
 */
export async function describeBackend(choice?: BackendChoice): Promise<BackendReport> {
  const tfName = (tf.getBackend() as string | undefined) ?? null;
  if (tfName === null) return { backend: null, tfBackend: null, memory: null, summary: 'no backend initialised' };
  const backend = bertkitName(tfName, choice);
  const report: BackendReport = { backend, tfBackend: tfName, memory: null, summary: '' };
  const details: string[] = [];
  if (tfName === 'webgpu') {
    type Kept = { adapterInfo?: { vendor?: string; architecture?: string } }; // tfjs-backend-webgpu's AdapterInfo
    const kept = (tf.engine().backend as unknown as Kept).adapterInfo;
    const info: Partial<AdapterSummary> | undefined =
      choice?.adapterInfo ??
      keptSummary() ??
      (kept ? { vendor: kept.vendor ?? '', architecture: kept.architecture ?? '' } : undefined);
    if (info) {
      report.adapterInfo = info;
      const kind = info.software ? 'software' : '';
      details.push([info.device || info.vendor, info.architecture, info.featureLevel, kind].filter(Boolean).join(', '));
    }
  }
  if (tfName === 'wasm') {
    const flags = await wasmFlags();
    if (flags) {
      report.wasm = flags;
      details.push(`${flags.simd ? 'SIMD' : 'no SIMD'}, ${flags.threads ? 'threads' : 'one thread'}`);
    }
  }
  const m = tf.memory() as BackendMemory;
  report.memory = {
    numTensors: m.numTensors,
    numDataBuffers: m.numDataBuffers,
    numBytes: m.numBytes,
    unreliable: m.unreliable,
    ...(m.numBytesInGPU !== undefined ? { numBytesInGPU: m.numBytesInGPU } : {}),
    ...(m.reasons !== undefined ? { reasons: m.reasons } : {}),
  };
  const shown = details.filter((d) => d.length > 0);
  const head = shown.length > 0 ? `${backend ?? tfName} (${shown.join('; ')})` : `${backend ?? tfName}`;
  report.summary = `${head} · ${m.numTensors} tensors, ${megabytes(m.numBytes)}`;
  return report;
}
