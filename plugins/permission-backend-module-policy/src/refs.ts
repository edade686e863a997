import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * An entity ref in its canonical lower-case form
 * (`group:default/platform-team`), with `defaultKind` for a bare name.
 */
export function normalizeEntityRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref.trim(), { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}
