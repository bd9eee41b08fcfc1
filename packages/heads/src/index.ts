// @bertkit/heads (browser-safe entry): readers, metrics and post-processing for the paper's fine-tuning tasks.
// Node file helpers are in `@bertkit/heads/node`.
export * from './squad/reader';
export * from './squad/normalize';
export * from './squad/evaluate-v1';
export * from './squad/evaluate-v2';
export * from './squad/evaluate';
export * from './squad/py-json';
export * from './squad/postprocess';
export * from './squad/predictions-file';
export * from './conll/reader';
export * from './conll/iob';
export * from './conll/chunk-rules';
export * from './conll/conlleval';
export * from './conll/c-printf';
export * from './conll/predictions-file';
export * from './glue/tasks';
export * from './glue/reader';
export * from './glue/metrics';
export * from './glue/evaluate';
export * from './swag/csv';
export * from './swag/reader';
export * from './swag/metric';
export * from './brown/reader';
export * from './brown/tagset';
export * from './brown/tasks';
