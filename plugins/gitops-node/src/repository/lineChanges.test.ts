import { isBinaryText, lineChanges } from './lineChanges';

describe('lineChanges', () => {
  it('counts added and removed lines', () => {
    expect(lineChanges('', 'a\nb\n')).toEqual({ additions: 2, deletions: 0 });
    expect(lineChanges('a\nb\n', '')).toEqual({ additions: 0, deletions: 2 });
    expect(lineChanges('a\nb\nc\n', 'a\nc\nd\n')).toEqual({
      additions: 1,
      deletions: 1,
    });
  });
});

describe('isBinaryText', () => {
  it('takes a NUL among the first 8000 characters for binary, as git does', () => {
    expect(isBinaryText('PNG\0\u0001')).toBe(true);
    expect(isBinaryText(`${'a'.repeat(8000)}\0`)).toBe(false);
    expect(isBinaryText('name: dev\n')).toBe(false);
  });
});
