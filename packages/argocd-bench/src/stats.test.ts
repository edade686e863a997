import { formatNumber, formatTable, percentile } from './stats';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const sample = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20
    expect(percentile(sample, 50)).toBe(10);
    expect(percentile(sample, 95)).toBe(19);
    expect(percentile(sample, 100)).toBe(20);
    expect(percentile(sample, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
  });

  it('refuses empty samples and bad percentiles', () => {
    expect(() => percentile([], 50)).toThrow(/empty sample/);
    expect(() => percentile([1], 101)).toThrow(/between 0 and 100/);
  });
});

describe('formatTable', () => {
  it('aligns the first column left and the others right', () => {
    expect(
      formatTable([
        ['backend', 'requests'],
        ['ours', formatNumber(273)],
        ['roadie', formatNumber(11744)],
      ]),
    ).toBe(
      ['backend  requests', 'ours          273', 'roadie     11,744'].join(
        '\n',
      ),
    );
    expect(formatNumber(71.44)).toBe('71.4');
  });
});
