// Backend picker: detection by trying (webgpu → wasm → cpu, @bertkit/backend's initBackend) and a status line
// that says which backend runs and why the others were not used (e.g. "webgpu: navigator.gpu is undefined").
import { describeBackend, initBackend, type BackendChoice, type BackendName } from '@bertkit/backend';
import { h, mount, errorBox } from './ui';

export const BROWSER_BACKENDS: BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** Where the tfjs wasm binaries are served (copied into dist/wasm/ by vite.config.ts). */
export function wasmPaths(): string {
  return new URL('wasm/', document.baseURI).href;
}

export async function chooseBackend(name: BackendName | 'auto'): Promise<BackendChoice> {
  const wasm = wasmPaths();
  return name === 'auto' ? initBackend({ prefer: BROWSER_BACKENDS, wasmPaths: wasm }) : initBackend({ backend: name, wasmPaths: wasm });
}

/** One line for the header: the backend, the WebGPU adapter or why WebGPU was not used. */
export async function statusLine(choice: BackendChoice): Promise<string> {
  const report = await describeBackend();
  if (choice.backend === 'webgpu') {
    const a = choice.adapterInfo;
    const name = a ? [a.vendor, a.architecture, a.device, a.description].filter((s) => s).join(' ') : '';
    return `WebGPU on ${name || 'an unnamed adapter'}${a ? ` (${a.featureLevel})` : ''}`;
  }
  const why = choice.reasons.webgpu?.startsWith('not ') ? undefined : choice.reasons.webgpu; // 'not tried' / 'not in the list'
  const extra = report.wasm ? ` (SIMD ${report.wasm.simd ? 'on' : 'off'}, threads ${report.wasm.threads ? 'on' : 'off'})` : '';
  return `${choice.backend}${extra}${why ? ` — WebGPU not used: ${why}` : ''}`;
}

export interface BackendPickerOptions {
  initial: BackendName | 'auto';
  /** Called after a backend is initialised (the app rebuilds the model on it). */
  onChosen: (choice: BackendChoice) => Promise<void>;
}

export function backendPicker(o: BackendPickerOptions): HTMLElement {
  const select = h('select', { id: 'backend', 'aria-label': 'backend' }, h('option', { value: 'auto' }, 'auto'), ...BROWSER_BACKENDS.map((b) => h('option', { value: b }, b)));
  select.value = o.initial;
  const status = h('span', { id: 'backend-status', class: 'status', 'data-state': 'pending' }, 'detecting…');
  const apply = async () => {
    select.disabled = true;
    status.dataset.state = 'pending';
    mount(status, `initialising ${select.value}…`);
    try {
      const choice = await chooseBackend(select.value as BackendName | 'auto');
      await o.onChosen(choice);
      mount(status, h('b', { class: 'pill' }, choice.backend), ' ', await statusLine(choice));
      status.dataset.state = 'ready';
      status.dataset.backend = choice.backend;
    } catch (e) {
      mount(status, errorBox(e));
      status.dataset.state = 'error';
    } finally {
      select.disabled = false;
    }
  };
  select.addEventListener('change', () => void apply());
  queueMicrotask(() => void apply());
  return h('div', { class: 'backend' }, h('label', { for: 'backend' }, 'Backend'), select, status);
}
