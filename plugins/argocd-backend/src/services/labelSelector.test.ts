import { InputError } from '@backstage/errors';
import { parseLabelSelector } from './labelSelector';

const orders = {
  'app.kubernetes.io/name': 'orders-api',
  'epicshelter.io/environment': 'dev',
};
const storefront = {
  'app.kubernetes.io/name': 'storefront',
  'epicshelter.io/environment': 'staging',
};
const unlabelled = {};

function matches(selector: string) {
  const match = parseLabelSelector(selector);
  return [orders, storefront, unlabelled].map(l => match(l));
}

describe('parseLabelSelector', () => {
  it('matches equality and inequality as Kubernetes does', () => {
    expect(matches('app.kubernetes.io/name=orders-api')).toEqual([
      true,
      false,
      false,
    ]);
    expect(matches('app.kubernetes.io/name == storefront')).toEqual([
      false,
      true,
      false,
    ]);
    // != also matches objects without the label.
    expect(matches('app.kubernetes.io/name!=orders-api')).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('matches set-based and existence requirements, all of them', () => {
    expect(
      matches('app.kubernetes.io/name in (orders-api, storefront)'),
    ).toEqual([true, true, false]);
    expect(matches('epicshelter.io/environment notin (dev)')).toEqual([
      false,
      true,
      true,
    ]);
    expect(matches('epicshelter.io/environment')).toEqual([true, true, false]);
    expect(matches('!epicshelter.io/environment')).toEqual([
      false,
      false,
      true,
    ]);
    expect(
      matches(
        'app.kubernetes.io/name in (orders-api,storefront),epicshelter.io/environment=staging',
      ),
    ).toEqual([false, true, false]);
  });

  it.each([
    'app.kubernetes.io/name in (orders-api',
    'app.kubernetes.io/name=orders-api,',
    'has space=x',
    'name=bad value!',
    'a in ((b))',
  ])('rejects %p with an InputError naming the annotation', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(InputError);
    expect(() => parseLabelSelector(selector)).toThrow(
      /argocd\/app-selector annotation/,
    );
  });
});
