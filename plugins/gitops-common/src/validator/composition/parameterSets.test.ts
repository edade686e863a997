import { LABEL_PROVIDER } from '../../constants';
import { PROVIDER_REGIONS } from '../../offerings';
import type { StructuralSchema } from '../schema/types';
import { parameterSets } from './parameterSets';

const schema = (
  parameters: Record<string, StructuralSchema>,
): StructuralSchema => ({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        parameters: { type: 'object', properties: parameters },
      },
    },
  },
});

describe('parameterSets', () => {
  it('takes the product of enums, booleans and integer bounds, tries a default unset only when no value equals it, and each region once', () => {
    const sets = parameterSets(
      schema({
        engine: { type: 'string', enum: ['postgres', 'mysql'] },
        size: { type: 'string', enum: ['small', 'large'], default: 'small' },
        versioning: { type: 'boolean' },
        nodes: { type: 'integer', minimum: 1, maximum: 20, default: 3 },
        region: { type: 'string' },
      }),
      { [LABEL_PROVIDER]: 'aws' },
    );
    expect(sets).toHaveLength(2 * 2 * 2 * 3 + PROVIDER_REGIONS.aws.length - 1);
    expect(sets).toContainEqual({
      engine: 'mysql',
      size: 'large',
      versioning: false,
      nodes: 20,
      region: 'us-east-1',
    });
    expect(new Set(sets.map(s => s.region))).toEqual(
      new Set(PROVIDER_REGIONS.aws),
    );
  });

  it('leaves region unset for local compositions and tries a default outside the values unset', () => {
    const sets = parameterSets(
      schema({
        region: { type: 'string' },
        tier: { type: 'string', default: 'gold' },
      }),
      { [LABEL_PROVIDER]: 'local' },
    );
    expect(sets).toEqual([{ tier: 'sample' }, {}]);
  });
});
