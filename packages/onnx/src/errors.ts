/** The model cannot be exported as asked. The message names the field, what was expected and what was found. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`exportOnnx ${field}: expected ${expected}, got ${actual}`);
  }
}

/** onnxruntime-node is absent or a run was given inputs that do not fit the session. */
export class OrtEngineError extends Error {
  override readonly name = 'OrtEngineError';
}
