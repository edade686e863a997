import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The environment an agent names: its name or its entity ref
 * (`resource:default/<name>`). InputError for anything else.
 */
export function environmentNameOf(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: 'resource',
      defaultNamespace: 'default',
    });
  } catch {
    ref = undefined;
  }
  if (
    !ref ||
    ref.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    ref.namespace !== 'default' ||
    !NAME.test(ref.name)
  ) {
    throw new InputError(
      `Environment ${JSON.stringify(
        value,
      )} is neither an environment name (a DNS-1123 label) nor an entity ref resource:default/<name>`,
    );
  }
  return ref.name;
}
