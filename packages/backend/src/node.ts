// Node-only helpers of @bertkit/backend (subpath '@bertkit/backend/node'). initBackend from the root entry
// already uses them when it runs in Node; import them to set things up by hand.
export { DEFAULT_DAWN_ATTEMPTS, requestDawnAdapter } from './webgpu-node.js';
export { nodeWasmDir } from './wasm-node.js';
