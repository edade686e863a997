import { LABEL_PROVIDER } from '../../constants';
import {
  CLOUD_PROVIDERS,
  PROVIDER_REGIONS,
  UNOFFERED_DATABASE_ENGINES,
  type CloudProvider,
  type Provider,
} from '../../offerings';
import type { StructuralSchema } from '../schema/types';

type Obj = Record<string, unknown>;

/** At most this many parameter sets per composition (the product is cut beyond). */
const MAX_SETS = 5000;

/**
 * The values a parameter can take: every enum value, both booleans, an
 * integer's bounds and default, the first of the composition's provider
 * regions for `region` (the others are added once each, see
 * parameterSets), one sample for other strings. A parameter whose default is not
 * among those is also tried unset (the API server then fills the default in).
 */
function candidates(
  name: string,
  schema: StructuralSchema,
  provider: string | undefined,
): unknown[] {
  let values: unknown[];
  if (schema.enum) values = [...schema.enum];
  else if (schema.type === 'boolean') values = [true, false];
  else if (schema.type === 'integer' || schema.type === 'number') {
    values = [schema.minimum, schema.maximum, schema.default].filter(
      v => v !== undefined,
    );
    if (values.length === 0) values = [1];
  } else if (schema.type === 'string') {
    if (
      name === 'region' &&
      (CLOUD_PROVIDERS as readonly string[]).includes(provider ?? '')
    ) {
      values = [PROVIDER_REGIONS[provider as CloudProvider][0]];
    } else if (name === 'region') {
      values = [undefined];
    } else {
      values = ['sample'];
    }
  } else {
    values = [undefined];
  }
  const unique = [...new Map(values.map(v => [JSON.stringify(v), v])).values()];
  // Unset, the API server fills the default in: a separate case only when
  // the default is not among the values tried already.
  const hasDefault = schema.default !== undefined;
  const defaultTried = unique.some(
    v => JSON.stringify(v) === JSON.stringify(schema.default),
  );
  return hasDefault && !defaultTried ? [...unique, undefined] : unique;
}

/** Every combination of parameter values an XRD's `spec.parameters` allows (before schema filtering). */
export function parameterSets(
  compositeSchema: StructuralSchema,
  compositionLabels: Record<string, string>,
): Obj[] {
  const params = compositeSchema.properties?.spec?.properties?.parameters;
  const props = params?.properties ?? {};
  const provider = compositionLabels[LABEL_PROVIDER];
  let sets: Obj[] = [{}];
  for (const [name, schema] of Object.entries(props)) {
    const values = candidates(name, schema, provider);
    const next: Obj[] = [];
    for (const set of sets) {
      for (const v of values) {
        if (next.length >= MAX_SETS) break;
        next.push(v === undefined ? set : { ...set, [name]: v });
      }
    }
    sets = next;
  }
  // Engines the provider's Compositions do not serve: the spec refuses them.
  const unoffered = UNOFFERED_DATABASE_ENGINES[provider as Provider] ?? {};
  sets = sets.filter(
    s => typeof s.engine !== 'string' || !(s.engine in unoffered),
  );
  // Every other region of the provider once, with the first set's other
  // values: regions only flow into region fields, so the full product would
  // repeat the same checks.
  const regions = PROVIDER_REGIONS[provider as CloudProvider];
  if (props.region && regions && sets.length > 0) {
    sets.push(...regions.slice(1).map(region => ({ ...sets[0], region })));
  }
  return sets;
}
