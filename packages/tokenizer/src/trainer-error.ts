/** Invalid trainer options or corpus items: the message names the field, the expected and the actual value. */
export class TrainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainerError';
  }
}
