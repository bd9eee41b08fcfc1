// How the ONNX Runtime engines (pre-training, fine-tuning, bench) name the threads a run asked for.

/** "default threads" (ORT's choice), "1 thread", "2 threads". */
export function ortThreadsText(threads: number | undefined): string {
  return threads === undefined ? 'default threads' : `${threads} thread${threads === 1 ? '' : 's'}`;
}
