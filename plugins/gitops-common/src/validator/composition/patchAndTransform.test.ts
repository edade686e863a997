import { getFieldPath, parseFieldPath, setFieldPath } from './fieldPath';
import { goSprintf } from './goFormat';
import { renderResources } from './patchAndTransform';
import { applyTransform } from './transforms';

describe('function-patch-and-transform semantics', () => {
  it('parses and writes Crossplane field paths, growing arrays', () => {
    expect(parseFieldPath('metadata.labels[app.kubernetes.io/name]')).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
    const o: Record<string, unknown> = {};
    setFieldPath(o, 'spec.list[1].name', 'x');
    expect(o).toEqual({ spec: { list: [null, { name: 'x' }] } });
    expect(getFieldPath(o, 'spec.list[1].name')).toBe('x');
    expect(() =>
      setFieldPath({ spec: { list: {} } }, 'spec.list[0].a', 1),
    ).toThrow(/not an array/);
  });

  it('formats like Go fmt.Sprintf, error texts included', () => {
    expect(goSprintf('%s-password', ['db'])).toBe('db-password');
    expect(goSprintf('clusters/cloud/addons', ['dev'])).toBe(
      'clusters/cloud/addons%!(EXTRA string=dev)',
    );
    expect(goSprintf('%s-%s', ['a'])).toBe('a-%!s(MISSING)');
    expect(goSprintf('%s', [3])).toBe('%!s(int64=3)');
    expect(goSprintf('%d', [3])).toBe('3');
  });

  it('applies transforms with their type rules', () => {
    const map = { type: 'map', map: { small: 'db.t4g.micro' } };
    expect(applyTransform(map, 'small')).toBe('db.t4g.micro');
    expect(() => applyTransform(map, true)).toThrow(
      'type bool is not supported for map transform',
    );
    expect(() => applyTransform(map, 'huge')).toThrow(
      'key huge is not found in map',
    );
    expect(
      applyTransform({ type: 'convert', convert: { toType: 'string' } }, true),
    ).toBe('true');
    expect(
      applyTransform(
        { type: 'math', math: { type: 'Multiply', multiply: 1024 } },
        2,
      ),
    ).toBe(2048);
    expect(() =>
      applyTransform({ type: 'math', math: { multiply: 2 } }, '2'),
    ).toThrow(/number/);
    expect(
      applyTransform(
        {
          type: 'match',
          match: {
            patterns: [{ type: 'regexp', regexp: '^eu-', result: 'EU' }],
            fallbackValue: 'OTHER',
          },
        },
        'eu-west-1',
      ),
    ).toBe('EU');
    expect(
      applyTransform(
        { type: 'string', string: { type: 'TrimPrefix', trim: 'v' } },
        'v1.2',
      ),
    ).toBe('1.2');
    expect(
      applyTransform(
        { type: 'convert', convert: { toType: 'int64', format: 'quantity' } },
        '1Gi',
      ),
    ).toBe(1073741824);
  });

  it('skips optional patches whose source is missing and fails the whole XR on a required one', () => {
    const input = {
      resources: [
        {
          name: 'bucket',
          base: { apiVersion: 'v1', kind: 'ConfigMap', data: {} },
          patches: [
            { type: 'PatchSet', patchSetName: 'common' },
            {
              fromFieldPath: 'spec.parameters.missing',
              toFieldPath: 'data.optional',
            },
            {
              type: 'CombineFromComposite',
              combine: {
                strategy: 'string',
                variables: [
                  { fromFieldPath: 'metadata.name' },
                  { fromFieldPath: 'spec.parameters.region' },
                ],
                string: { fmt: '%s.%s' },
              },
              toFieldPath: 'data.combined',
            },
          ],
        },
      ],
      patchSets: [
        {
          name: 'common',
          patches: [
            {
              fromFieldPath: 'spec.parameters.region',
              toFieldPath: 'data.region',
            },
          ],
        },
      ],
    };
    const xr = {
      metadata: { name: 'db' },
      spec: { parameters: { region: 'eu' } },
    };
    expect(renderResources(input, xr)).toEqual({
      ok: true,
      resources: [
        {
          name: 'bucket',
          index: 0,
          resource: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            data: { region: 'eu', combined: 'db.eu' },
          },
          connectionDetails: [],
        },
      ],
    });
    const required = {
      resources: [
        {
          ...input.resources[0],
          patches: [
            {
              fromFieldPath: 'spec.parameters.missing',
              toFieldPath: 'data.x',
              policy: { fromFieldPath: 'Required' },
            },
          ],
        },
      ],
    };
    expect(renderResources(required, xr)).toEqual({
      ok: false,
      failure: {
        name: 'bucket',
        index: 0,
        patchIndex: 0,
        toFieldPath: 'data.x',
        message:
          'cannot apply the "FromCompositeFieldPath" patch at index 0: required field spec.parameters.missing is not set',
      },
    });
  });
});
