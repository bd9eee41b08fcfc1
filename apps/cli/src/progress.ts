// A progress bar for long work. On a TTY it redraws one line (`\r`); elsewhere (CI, pipes, files) it prints a
// plain line at most every `intervalMs`, so logs stay readable.

export interface ProgressOptions {
  total: number;
  label: string;
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  intervalMs?: number;
  /** Count already done when the bar starts (a resumed run): the ETA uses only the progress made since. */
  startCount?: number;
  now?: () => number;
}

export class ProgressBar {
  private readonly start: number;
  private last = -Infinity;
  private current = 0;
  private suffix = '';
  private finalDrawn: string | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
  }

  /** Sets the done count and an optional status text (e.g. `loss 3.21`). */
  update(current: number, suffix = ''): void {
    this.current = current;
    this.suffix = suffix;
    const t = this.now();
    const tty = this.opts.stream.isTTY === true;
    const interval = this.opts.intervalMs ?? (tty ? 100 : 5000);
    if (t - this.last < interval && (current < this.opts.total || this.opts.total <= 0)) return;
    if (!tty && this.finalDrawn === suffix && current >= this.opts.total) return; // 100% line printed already
    this.last = t;
    this.draw(tty);
    if (this.opts.total > 0 && current >= this.opts.total) this.finalDrawn = this.suffix;
  }

  /** Final line (always printed). */
  done(suffix = this.suffix): void {
    this.suffix = suffix;
    const tty = this.opts.stream.isTTY === true;
    // off a TTY the 100% line may be printed already by update(); do not repeat it
    if (!tty && this.opts.total > 0 && this.current >= this.opts.total && this.finalDrawn === suffix) return;
    this.draw(tty);
    if (tty) this.opts.stream.write('\n');
  }

  line(): string {
    const { total, label } = this.opts;
    if (total <= 0) return `${label} ${fmtTime((this.now() - this.start) / 1000)}${this.suffix ? ' ' + this.suffix : ''}`; // unknown total
    const frac = total > 0 ? Math.min(1, this.current / total) : 1;
    const elapsed = (this.now() - this.start) / 1000;
    const done = this.current - (this.opts.startCount ?? 0);
    const eta = done > 0 ? (elapsed * (total - this.current)) / done : frac >= 1 ? 0 : Infinity;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    return `${label} ${bar} ${this.current}/${total} ${(frac * 100).toFixed(0)}% ${fmtTime(elapsed)}<${fmtTime(eta)}${this.suffix ? ' ' + this.suffix : ''}`;
  }

  private draw(tty: boolean): void {
    const text = this.line();
    if (tty) {
      const cols = this.opts.stream.columns ?? 120;
      this.opts.stream.write('\r' + text.slice(0, cols - 1).padEnd(Math.min(cols - 1, text.length)) + '\x1b[K');
    } else {
      this.opts.stream.write(text + '\n');
    }
  }
}

export function fmtTime(sec: number): string {
  if (!Number.isFinite(sec)) return '--:--';
  const s = Math.round(sec);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  return h > 0 ? `${h}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
