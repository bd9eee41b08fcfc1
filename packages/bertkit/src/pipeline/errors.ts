// The error of `pipeline()` itself (an unknown task, a model that cannot serve it); task inputs raise
// @bertkit/heads' TaskInputError. Each names the field, the expected and the actual value.

export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${field}: expected ${expected}, got ${actual}`);
  }
}
