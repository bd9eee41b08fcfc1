// Makes WebGPU errors fail loudly. A WGSL compile error or any other validation error is not thrown by WebGPU: it
// is reported on the device as an 'uncapturederror' event, the command buffer that used the broken pipeline is
// dropped, and reads return zeros or stale data. We keep those errors and throw them on the next read.
import { BackendError } from '../errors.js';

interface GpuErrorEventLike {
  error: { message: string; constructor: { name: string } };
  preventDefault(): void;
}

/** The device members used here (the browser's and Dawn's GPUDevice both have them). */
export interface GpuDeviceEventsLike {
  addEventListener(type: 'uncapturederror', listener: (e: GpuErrorEventLike) => void): void;
  readonly lost: Promise<{ reason?: string; message: string }>;
}

/** Lines of a Dawn / browser error message worth showing: the error itself and the "While calling" context. */
function shorten(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const head = lines.slice(0, 1);
  const calling = lines.find((l) => l.startsWith('- While calling'));
  return [...head, ...(calling ? [calling] : [])].join(' ');
}

/**
 * Collects a device's uncaptured errors and its loss. `verbose`: also let the runtime print them (Dawn prints
 * each to stdout unless the event is cancelled; browsers print a console warning).
 */
export class GpuErrorLog {
  /** The first error since the last check, and how many there were (only the first is kept). */
  private first: string | null = null;
  private count = 0;
  private lostMessage: string | null = null;

  constructor(device: GpuDeviceEventsLike, verbose: boolean) {
    device.addEventListener('uncapturederror', (e) => {
      this.first ??= `${e.error.constructor.name}: ${shorten(e.error.message)}`;
      this.count += 1;
      if (!verbose) e.preventDefault();
    });
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.lostMessage = `the GPU device was lost (${info.reason ?? 'unknown'}): ${info.message}`;
    });
  }

  /**
   * Throws a BackendError naming the first error since the last check (and how many followed), then forgets
   * them; a lost device throws every time.
   */
  throwIfAny(): void {
    if (this.lostMessage !== null) throw new BackendError('webgpu', this.lostMessage);
    if (this.first === null) return;
    const more = this.count > 1 ? ` (and ${this.count - 1} more)` : '';
    const first = this.first;
    this.first = null;
    this.count = 0;
    throw new BackendError('webgpu', `a GPU error made results since the last read invalid: ${first}${more}`);
  }
}
