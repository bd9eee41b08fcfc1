// The fake hub moved to @bertkit/test-utils (bertkit's pipeline tests serve models from it too).
export * from '@bertkit/test-utils/hub-server';
