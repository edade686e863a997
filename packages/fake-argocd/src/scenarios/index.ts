import type { FakeInstanceOptions } from '../server';
import { realWorldArgoCdInstance } from './realWorld';

/**
 * Named extra instances the command line serves next to the generated ones
 * (`--scenario NAME`):
 *
 * - `states`: the instance `platform` of {@link realWorldArgoCdInstance}
 *   (a failed multi-source application in a non-default namespace and its
 *   ApplicationSet in error), read by e2e/states.spec.ts.
 * @public
 */
export const SCENARIOS: Record<string, () => FakeInstanceOptions[]> = {
  states: () => [realWorldArgoCdInstance()],
};

/**
 * The instances of the named scenarios (comma separated, empty for none).
 * @public
 */
export function scenarioInstances(names: string): FakeInstanceOptions[] {
  return names
    .split(',')
    .map(n => n.trim())
    .filter(Boolean)
    .flatMap(name => {
      const instances = SCENARIOS[name];
      if (!instances) {
        throw new Error(
          `Unknown fake Argo CD scenario "${name}"; known scenarios: ${Object.keys(
            SCENARIOS,
          ).join(', ')}`,
        );
      }
      return instances();
    });
}
