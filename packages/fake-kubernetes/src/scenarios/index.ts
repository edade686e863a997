import { isDeepStrictEqual } from 'node:util';
import { realWorldObjects } from '../realWorld';
import type { KubeObject } from '../types';
import { largeGraphObjects } from './largeGraph';

/**
 * Named sets of objects the command line serves on top of the demo data
 * (`--scenario NAME`):
 *
 * - `states`: the real-world Crossplane installation
 *   ({@link realWorldObjects}: failing, creating, paused and deleting
 *   managed resources, a missing ClusterProviderConfig, providers, a
 *   composed Secret) and the 51-XR/MR graph of {@link largeGraphObjects};
 *   the browser test of these states (e2e/states.spec.ts) reads them.
 * @public
 */
export const SCENARIOS: Record<string, () => KubeObject[]> = {
  states: () => [...realWorldObjects(), ...largeGraphObjects()],
};

/**
 * The objects of the named scenarios (comma separated, empty for none).
 * @public
 */
export function scenarioObjects(names: string): KubeObject[] {
  return names
    .split(',')
    .map(n => n.trim())
    .filter(Boolean)
    .flatMap(name => {
      const objects = SCENARIOS[name];
      if (!objects) {
        throw new Error(
          `Unknown fake Kubernetes scenario "${name}"; known scenarios: ${Object.keys(
            SCENARIOS,
          ).join(', ')}`,
        );
      }
      return objects();
    });
}

const keyOf = (o: KubeObject) =>
  [
    o.apiVersion.split('/').slice(0, -1).join('/'),
    o.kind,
    o.metadata.namespace ?? '',
    o.metadata.name,
  ].join('/');

/**
 * `base` plus the objects of the named scenarios: an object both hold
 * identically (a CRD both need) is served once; a scenario object that
 * differs from a base object of the same kind and name is refused, as it
 * would silently replace data other tests read.
 * @public
 */
export function withScenarios(base: KubeObject[], names: string): KubeObject[] {
  const byKey = new Map(base.map(o => [keyOf(o), o]));
  const added: KubeObject[] = [];
  for (const o of scenarioObjects(names)) {
    const existing = byKey.get(keyOf(o));
    if (!existing) {
      byKey.set(keyOf(o), o);
      added.push(o);
    } else if (!isDeepStrictEqual(existing, o)) {
      throw new Error(
        `Scenario "${names}" holds ${o.kind} ${o.metadata.name} that differs from the one already served; rename one of them`,
      );
    }
  }
  return [...base, ...added];
}
