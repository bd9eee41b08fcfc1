// Model source: the shipped English BERT (models/english, pre-trained by `bert pretrain` on Brown + Gutenberg), a URL prefix
// (`bert serve` or any static host), or a local HF folder by drag and drop / file picker.
import type { AppContext } from './context';
import { fetchModelFiles, readModelFiles, type ModelFiles } from './model-files';
import { h, mount, errorBox } from './ui';

export const BUNDLED_MODEL = 'models/english/';
export const BUNDLED_SOURCE = 'english (shipped)';
export const BUNDLED_LABEL = 'pre-trained on English books';

export interface ModelPanelOptions {
  ctx: AppContext;
  load: (files: ModelFiles, label: string) => Promise<void>;
}

export function modelPanel(o: ModelPanelOptions): HTMLElement {
  const msg = h('div', { id: 'model-status', class: 'model-status', 'data-state': 'empty' }, 'no model loaded');
  const run = async (what: string, get: () => Promise<{ files: ModelFiles; label: string }>) => {
    msg.dataset.state = 'pending';
    mount(msg, `loading ${what}…`);
    try {
      const { files, label } = await get();
      await o.load(files, label);
    } catch (e) {
      msg.dataset.state = 'error';
      mount(msg, errorBox(e));
    }
  };
  const url = h('input', { id: 'model-url', type: 'url', placeholder: 'https://host/model-dir/  (config.json, vocab.txt or tokenizer.json, model.safetensors)' });
  const files = h('input', { id: 'model-files', type: 'file', multiple: true });
  files.addEventListener('change', () => files.files && void run('local files', async () => ({ files: await readModelFiles(files.files!), label: 'local' })));
  const drop = h('div', { class: 'drop', id: 'drop' }, 'Drop config.json + vocab.txt (or tokenizer.json) + model.safetensors here, or ', h('label', { class: 'link' }, 'choose files', files));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const list = e.dataTransfer?.files;
    if (list) void run('dropped files', async () => ({ files: await readModelFiles(list), label: 'local' }));
  });
  o.ctx.onChange(() => {
    const m = o.ctx.model;
    if (!m) return;
    const c = m.config;
    msg.dataset.state = 'ready';
    mount(
      msg,
      h('b', {}, m.source),
      h('span', { class: `badge ${m.label === 'untrained' ? 'warn' : ''}` }, m.label),
      ` ${c.numHiddenLayers} layers × ${c.hiddenSize} hidden × ${c.numAttentionHeads} heads, vocab ${c.vocabSize}`,
      m.mlm ? h('span', { class: 'badge ok' }, 'MLM head') : null,
      m.task ? h('span', { class: 'badge ok' }, m.task.kind) : null,
      m.report.missing.length ? h('span', { class: 'badge warn', title: m.report.missing.join(', ') }, `${m.report.missing.length} weights not in the checkpoint (zeros)`) : null,
    );
  });
  return h(
    'section',
    { class: 'panel model' },
    h('div', { class: 'row' },
      h('button', { id: 'load-bundled', onclick: () => void run('bundled model', async () => ({ files: await fetchModelFiles(BUNDLED_MODEL, BUNDLED_SOURCE), label: BUNDLED_LABEL })) }, 'Shipped English BERT'),
      url,
      h('button', { id: 'load-url', onclick: () => url.value && void run(url.value, async () => ({ files: await fetchModelFiles(url.value), label: 'from URL' })) }, 'Load URL'),
    ),
    drop,
    msg,
  );
}
