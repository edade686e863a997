import fc from 'fast-check';

/**
 * Random data as YAML documents hold it (strings, numbers, booleans, null,
 * lists and maps, a little nested), for the YAML equivalence tests.
 */
export function yamlValue(
  text: fc.Arbitrary<string>,
  key: fc.Arbitrary<string> = text,
): fc.Arbitrary<unknown> {
  return fc.letrec(tie => ({
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}
