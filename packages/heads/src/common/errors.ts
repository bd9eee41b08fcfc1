// Errors of the task heads and the fine-tuning runner: each names the field, the expected and the actual value.

/** A head's configuration or weights are not what the task needs. */
export class HeadConfigError extends Error {
  override readonly name = 'HeadConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${field}: expected ${expected}, got ${actual}`);
  }
}

/** A task input (example, feature, batch) is malformed. */
export class TaskInputError extends Error {
  override readonly name = 'TaskInputError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${field}: expected ${expected}, got ${actual}`);
  }
}
