import { fakeApplication } from '../__testUtils__/applications';
import {
  applicationSetDetail,
  appSelectorMatcher,
  historyOnly,
  listQuery,
  locatorMatcher,
  owningApplicationSets,
  selectApplications,
  syncStatusByResource,
} from './applicationSelection';

const apps = [
  fakeApplication('shop-dev', { labels: { 'app.kubernetes.io/name': 'shop' } }),
  fakeApplication('shop-dev', {
    namespace: 'team-a',
    labels: { 'app.kubernetes.io/name': 'shop' },
  }),
  fakeApplication('cart-dev', { labels: { 'app.kubernetes.io/name': 'cart' } }),
];
const names = (list: typeof apps) =>
  list.map(a => `${a.metadata?.namespace}/${a.metadata?.name}`);

describe('selectApplications', () => {
  it('selects as Argo CD list call does: selector, name, namespace, project', () => {
    const bySelector = { appSelector: 'app.kubernetes.io/name=shop' };
    expect(
      names(selectApplications(apps, bySelector, locatorMatcher(bySelector))),
    ).toEqual(['argocd/shop-dev', 'team-a/shop-dev']);
    expect(
      names(
        selectApplications(
          apps,
          { appName: 'shop-dev', appNamespace: 'team-a' },
          undefined,
        ),
      ),
    ).toEqual(['team-a/shop-dev']);
    expect(
      selectApplications(apps, { projectName: 'nope' }, undefined),
    ).toEqual([]);
  });

  it('ignores the name when a selector is given, as Argo CD does', () => {
    const locator = {
      appSelector: 'app.kubernetes.io/name=cart',
      appName: 'x',
    };
    expect(
      names(selectApplications(apps, locator, locatorMatcher(locator))),
    ).toEqual(['argocd/cart-dev']);
    expect(listQuery(locator, 'f')).toEqual({
      fields: 'f',
      name: undefined,
      selector: 'app.kubernetes.io/name=cart',
      appNamespace: undefined,
      projects: undefined,
    });
  });

  it('refuses an unparsable selector with a sentence naming the annotation', () => {
    expect(() => appSelectorMatcher('a in (')).toThrow(
      /fix the argocd\/app-selector annotation/,
    );
  });
});

describe('shaping', () => {
  it('keys sync status by group/kind/namespace/name', () => {
    expect(
      syncStatusByResource({
        status: {
          resources: [
            {
              kind: 'Service',
              namespace: 'dev',
              name: 'shop',
              status: 'Synced',
            },
            { group: 'apps', kind: 'Deployment', name: 'shop' },
          ],
        },
      }),
    ).toEqual({
      '/Service/dev/shop': 'Synced',
      'apps/Deployment//shop': 'Unknown',
    });
  });

  it('lists the applications an ApplicationSet generated, and nothing when it could not be read', () => {
    expect(
      applicationSetDetail('shop', {
        status: {
          resources: [
            { kind: 'Application', name: 'shop-dev' },
            { kind: 'ConfigMap', name: 'x' },
          ],
          conditions: [{ type: 'ErrorOccurred', status: 'False' }],
        },
      }),
    ).toEqual({
      name: 'shop',
      applications: ['shop-dev'],
      conditions: [{ type: 'ErrorOccurred', status: 'False' }],
    });
    expect(applicationSetDetail('shop', undefined)).toEqual({
      name: 'shop',
      applications: [],
      conditions: [],
    });
  });

  it('keeps the ApplicationSets that own the listed applications (same name, same namespace)', () => {
    const set = (name: string, namespace: string) => ({
      metadata: { name, namespace },
      status: { conditions: [] },
    });
    const sets = [
      set('shop-dev-set', 'argocd'),
      set('shop-dev-set', 'elsewhere'),
      set('shop-dev-set', 'team-a'),
      set('cart-dev-set', 'argocd'),
    ];
    expect(owningApplicationSets(apps.slice(0, 2), sets)).toEqual([
      sets[0],
      sets[2],
    ]);
    expect(owningApplicationSets([], sets)).toEqual([]);
  });

  it('keeps only sources and history for the history view', () => {
    const slim = historyOnly(apps[0]);
    expect(Object.keys(slim.metadata ?? {})).toEqual(['name']);
    expect(slim.spec?.source).toEqual(apps[0].spec?.source);
    expect(slim.status?.history).toEqual(apps[0].status?.history);
    expect(Object.keys(slim.status ?? {})).toEqual(['history']);
  });
});
