import { InputError } from '@backstage/errors';
import {
  createLabelMatcher,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

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
  const match = createLabelMatcher(selector);
  return [orders, storefront, unlabelled].map(l => match(l));
}

describe('parseLabelSelector', () => {
  it('parses every requirement form into matchExpressions', () => {
    expect(
      parseLabelSelector(
        'a=1, b==2,c != 3,d in (x, y),e notin (z),f,!g, ! h,i in (),j=',
      ),
    ).toEqual([
      { key: 'a', operator: 'In', values: ['1'] },
      { key: 'b', operator: 'In', values: ['2'] },
      { key: 'c', operator: 'NotIn', values: ['3'] },
      { key: 'd', operator: 'In', values: ['x', 'y'] },
      { key: 'e', operator: 'NotIn', values: ['z'] },
      { key: 'f', operator: 'Exists' },
      { key: 'g', operator: 'DoesNotExist' },
      { key: 'h', operator: 'DoesNotExist' },
      { key: 'i', operator: 'In', values: [''] },
      { key: 'j', operator: 'In', values: [''] },
    ]);
  });

  it('treats an empty selector as matching everything', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('  ')).toEqual([]);
    expect(matches('')).toEqual([true, true, true]);
  });

  it('accepts prefixed keys and keywords as values', () => {
    expect(parseLabelSelector('example.com/in in (in,notin)')).toEqual([
      { key: 'example.com/in', operator: 'In', values: ['in', 'notin'] },
    ]);
  });

  it.each([
    ['a in (b', /missing '\)' in the values of 'a'/],
    ['a=b,', /expected a requirement after ','/],
    [',a=b', /expected a label key, found ','/],
    ['has space=x', /expected an operator .* after 'has', found 'space'/],
    ['name=bad value!', /expected ',' or the end, found 'value'/],
    [
      'a in ((b))',
      /expected a value, ',' or '\)' in the values of 'a', found '\('/,
    ],
    ['a in b', /expected '\(' after 'a in', found 'b'/],
    ['!a=b', /expected ',' or the end, found '='/],
    ['!', /expected a label key after '!', found the end/],
    ['a=(b)', /expected a value after 'a=', found '\('/],
    ['replicas>1', /numeric operator '>' is not supported/],
    ['Bad_Prefix.io/a=b', /invalid label key 'Bad_Prefix.io\/a'/],
    ['-a=b', /invalid label key '-a'/],
    [`a=${'v'.repeat(64)}`, /invalid label value 'v{64}'/],
    [`${'k'.repeat(64)}`, /invalid label key 'k{64}'/],
    ['a in (x,-y)', /invalid label value '-y'/],
  ])('rejects %p with an InputError saying why', (selector, reason) => {
    expect(() => parseLabelSelector(selector)).toThrow(InputError);
    expect(() => parseLabelSelector(selector)).toThrow(
      `Invalid label selector "${selector}"`,
    );
    expect(() => parseLabelSelector(selector)).toThrow(reason);
  });
});

describe('matching', () => {
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

  it('matches an empty value and ignores inherited object properties', () => {
    expect(matchesLabelSelector(parseLabelSelector('a='), { a: '' })).toBe(
      true,
    );
    expect(matchesLabelSelector(parseLabelSelector('a='), {})).toBe(false);
    expect(matchesLabelSelector(parseLabelSelector('constructor'), {})).toBe(
      false,
    );
    expect(
      matchesLabelSelector(parseLabelSelector('!toString'), undefined),
    ).toBe(true);
  });
});
