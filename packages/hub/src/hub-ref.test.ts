import { describe, expect, it } from 'vitest';
import { isCommitHash, parseHubRef } from './hub-ref.js';

describe('parseHubRef', () => {
  it('reads org/name, bare names and @revision (which may hold slashes)', () => {
    expect(parseHubRef('google-bert/bert-base-uncased')).toEqual({ repoId: 'google-bert/bert-base-uncased' });
    expect(parseHubRef('bert-base-uncased')).toEqual({ repoId: 'bert-base-uncased' });
    expect(parseHubRef('org/m.v2_x@v1.0')).toEqual({ repoId: 'org/m.v2_x', revision: 'v1.0' });
    expect(parseHubRef('org/m@refs/pr/1')).toEqual({ repoId: 'org/m', revision: 'refs/pr/1' });
  });

  it('rejects what the hub would not name a repository', () => {
    for (const bad of ['a/b/c', 'org/', '/m', 'org/m@', 'or--g/m', 'org/m..x', 'bad id', '-x', 'org/m@../x', '']) {
      expect(parseHubRef(bad), bad).toBeNull();
    }
  });

  it('knows a full commit id from a branch', () => {
    expect(isCommitHash('0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isCommitHash('main')).toBe(false);
    expect(isCommitHash('0123456789ABCDEF0123456789abcdef01234567')).toBe(false);
  });
});
