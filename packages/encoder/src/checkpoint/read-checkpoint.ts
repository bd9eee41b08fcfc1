// One entry point for the weight files a HuggingFace model directory may hold: `model.safetensors` (preferred by
// transformers since 4.30) or a torch >= 1.6 `pytorch_model.bin`. The file name decides; when it says nothing
// (a blob from fetch, an odd name) the bytes do: torch archives are zips, safetensors starts with its header length.
import { CheckpointError, type RawTensor } from './raw-tensor';
import { readSafetensors } from './safetensors';
import { readTorchBin } from './torch-pickle';
import { isZip } from './zip';

export type CheckpointFormat = 'safetensors' | 'torch';

export interface Checkpoint {
  format: CheckpointFormat;
  tensors: Map<string, RawTensor>;
  /** The safetensors `__metadata__` (empty for torch archives). */
  metadata: Record<string, string>;
}

/** Which reader a file name calls for, or null when the extension is not one of ours. */
export function checkpointFormatOf(fileName: string): CheckpointFormat | null {
  const base = fileName.split(/[\\/]/).pop()!.toLowerCase();
  if (base.endsWith('.safetensors')) return 'safetensors';
  if (base.endsWith('.bin') || base.endsWith('.pt') || base.endsWith('.pth')) return 'torch';
  return null;
}

/** Reads a checkpoint file's tensors; `fileName` (optional) picks the format, else the leading bytes do. */
export function readCheckpoint(bytes: Uint8Array, fileName = ''): Checkpoint {
  const format = checkpointFormatOf(fileName) ?? (isZip(bytes) || bytes[0] === 0x80 ? 'torch' : 'safetensors');
  if (format === 'torch') return { format, tensors: readTorchBin(bytes), metadata: {} };
  if (isZip(bytes)) {
    throw new CheckpointError(`${fileName}: named .safetensors but the bytes are a zip archive (a torch checkpoint?)`);
  }
  return { format, ...readSafetensors(bytes) };
}
