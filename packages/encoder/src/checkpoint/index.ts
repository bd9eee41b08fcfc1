// Checkpoint file formats (safetensors, torch zip pickle): pure TypeScript over Uint8Array, browser-safe.
export {
  CheckpointError,
  DTYPE_SIZE,
  checkRawTensor,
  f16ToF32,
  f32BitsToF16,
  f32ToBF16,
  f32ToF16,
  fromFloat32,
  isDType,
  numel,
  toFloat32,
  toInt32,
  type DType,
  type RawTensor,
  type RawTensorData,
} from './raw-tensor';
export {
  MAX_HEADER_SIZE,
  readSafetensors,
  readSafetensorsHeader,
  safetensorsHeaderSize,
  writeSafetensors,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsHeader,
} from './safetensors';
export { readTorchBin } from './torch-pickle';
export { isZip, readZipEntries, zipEntryData, type ZipEntry } from './zip';
export { checkpointFormatOf, readCheckpoint, type Checkpoint, type CheckpointFormat } from './read-checkpoint';
