import { resourceRefsOf } from './resourceRefs';

const obj = (spec: Record<string, any>, namespace?: string) => ({
  apiVersion: 'platform.epicshelter.io/v1alpha1',
  kind: 'Database',
  metadata: { name: 'db', namespace },
  spec,
});

describe('resourceRefsOf', () => {
  it('reads a v2 XR’s spec.crossplane.resourceRefs, in the XR’s namespace unless they say otherwise', () => {
    const refs = resourceRefsOf(
      obj(
        {
          crossplane: {
            resourceRefs: [
              {
                apiVersion: 'rds.aws.m.upbound.io/v1beta1',
                kind: 'Instance',
                name: 'a',
              },
              {
                apiVersion: 'v1',
                kind: 'Secret',
                name: 's',
                namespace: 'other',
              },
              { apiVersion: 'v1', kind: 'ConfigMap' }, // no name: left out
            ],
          },
        },
        'dev',
      ),
      { role: 'composite', crossplaneVersion: 'v2' },
    );
    expect(refs).toEqual([
      {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'Instance',
        name: 'a',
        namespace: 'dev',
      },
      { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'other' },
    ]);
  });

  it('reads a v1 XR’s spec.resourceRefs and a claim’s spec.resourceRef', () => {
    const ref = {
      apiVersion: 'database.aws.crossplane.io/v1beta1',
      kind: 'RDSInstance',
      name: 'r',
    };
    expect(
      resourceRefsOf(obj({ resourceRefs: [ref] }), {
        role: 'composite',
        crossplaneVersion: 'v1',
      }),
    ).toEqual([{ ...ref, namespace: undefined }]);
    const xr = {
      apiVersion: 'legacy.platform.epicshelter.io/v1alpha1',
      kind: 'XDatabase',
      name: 'x',
    };
    expect(
      resourceRefsOf(obj({ resourceRef: xr }, 'dev'), {
        role: 'claim',
        crossplaneVersion: 'v1',
      }),
    ).toEqual([xr]);
    expect(
      resourceRefsOf(obj({}), { role: 'claim', crossplaneVersion: 'v1' }),
    ).toEqual([]);
  });
});
