// @bertkit/hub (Node only): hub ids → model directories, through the HuggingFace cache shared with Python.
export { resolveModel, type ResolveModelOptions, type ResolvedModel, type DownloadProgress } from './resolve-model.js';
export { HubError, type HubErrorCode, type HubErrorDetails } from './errors.js';
export {
  hubSettings,
  hubCacheDir,
  hfHome,
  DEFAULT_ENDPOINT,
  type HubSettings,
  type SettingsOptions,
  type Env,
} from './settings.js';
export { parseHubRef, isCommitHash, type HubRef } from './hub-ref.js';
export { repoCache, type RepoCache } from './cache-layout.js';
export { selectModelFiles, snapshotMissing, TOKENIZER_FILES } from './model-files.js';
