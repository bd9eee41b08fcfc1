export {
  saveCheckpoint,
  loadCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  checkpointName,
  variablesWriter,
  loadVariables,
  writeFileSynced,
  type SaveCheckpointOptions,
  type LoadedCheckpoint,
} from './checkpoint-node.js';
export { MetricsWriter } from './metrics-writer.js';
