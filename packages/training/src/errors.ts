/** Bad optimizer / schedule / loop configuration or state (the message names the field, expected and actual). */
export class TrainingConfigError extends Error {
  override name = 'TrainingConfigError';
}

/** A checkpoint that cannot be written or read back (missing file, wrong shapes, unknown format). */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}
