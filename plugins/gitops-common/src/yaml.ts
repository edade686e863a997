import { stringify } from 'yaml';

/**
 * Serialises a value as one YAML document with the `yaml` library. Strings
 * are always quoted safely by the library, so no input can inject YAML.
 * @public
 */
export function toYaml(value: unknown): string {
  return stringify(value, {
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
    sortMapEntries: false,
    // Same quoting as the repository's Prettier config, so generated files pass `prettier --check`.
    singleQuote: true,
  });
}

/** Serialises several values as a multi-document YAML stream. @public */
export function toYamlStream(values: unknown[]): string {
  return values.map(v => toYaml(v)).join('---\n');
}
