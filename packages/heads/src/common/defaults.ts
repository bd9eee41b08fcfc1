// The sequence lengths of the paper's fine-tuning scripts, named once (google-research/bert):
// run_classifier.py / token tasks `max_seq_length=128`, run_squad.py `max_seq_length=384, doc_stride=128`,
// extract_features.py `max_seq_length=128`. Every default of heads and the apps refers to these.

/** Sentence(-pair) classification, token classification, multiple choice (run_classifier.py). */
export const MAX_SEQ_LENGTH = 128;
/** SQuAD windows (run_squad.py). */
export const SQUAD_MAX_SEQ_LENGTH = 384;
/** SQuAD: tokens between the starts of consecutive windows of a long context (run_squad.py). */
export const SQUAD_DOC_STRIDE = 128;
