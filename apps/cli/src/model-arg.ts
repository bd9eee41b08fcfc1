// `--model <dir | hub id>`: a local directory as it is, or `org/name[@revision]` downloaded into the HF cache
// (shared with Python; HF_HOME, HF_TOKEN, HF_ENDPOINT, HF_HUB_OFFLINE honoured) with a progress bar per file.
import { resolveModel } from '@bertkit/hub';
import type { Io } from './command.js';
import { ProgressBar } from './progress.js';

/** The local directory of `model` (downloading it first when it is a hub id). */
export async function resolveModelArg(model: string, io: Io): Promise<string> {
  let bar: ProgressBar | null = null;
  let file = '';
  const r = await resolveModel(model, {
    onProgress: (p) => {
      if (p.file !== file) {
        bar?.done();
        file = p.file;
        bar = p.total > 1_000_000 ? new ProgressBar({ total: p.total, label: `${p.repoId}/${p.file}`, stream: io.stderr }) : null;
      }
      bar?.update(p.loaded, `${(p.loaded / 1e6).toFixed(1)} / ${(p.total / 1e6).toFixed(1)} MB`);
    },
  });
  (bar as ProgressBar | null)?.done();
  if (r.source !== 'local') io.stderr.write(`model: ${r.repoId}@${r.commit ?? r.revision} (${r.source === 'hub' ? 'downloaded to' : 'cached in'} ${r.dir})\n`);
  return r.dir;
}
