// Appends training events as JSON lines (one object per logged step), the file the CLI writes as
// `<out>/metrics.jsonl` and plotting scripts read. Node only.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainEvent } from './events.js';

export class MetricsWriter {
  private fd: number | null;

  /**
   * `append` (default true) keeps earlier lines, as a resumed run continues the same file; `resumeStep` drops
   * lines logged after that step (a killed run may have logged steps past its last checkpoint, which the resumed
   * run repeats).
   */
  constructor(readonly path: string, options: { append?: boolean; resumeStep?: number } = {}) {
    mkdirSync(dirname(path), { recursive: true });
    if (options.resumeStep !== undefined && options.append !== false && existsSync(path)) {
      const keep = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => {
          if (line.trim() === '') return false;
          try {
            const step = (JSON.parse(line) as { step?: unknown }).step;
            return typeof step !== 'number' || step <= options.resumeStep!;
          } catch {
            return false; // a line cut short by the kill
          }
        });
      writeFileSync(path, keep.map((l) => `${l}\n`).join(''));
    }
    this.fd = openSync(path, options.append === false ? 'w' : 'a');
  }

  /** Writes `step` events (other event types too when `all`), each as one line. */
  write(e: TrainEvent, all = false): void {
    if (this.fd === null) throw new Error(`MetricsWriter(${this.path}): write after close`);
    if (e.type !== 'step' && !all) return;
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
  }

  /** Flushes to disk and closes. */
  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
