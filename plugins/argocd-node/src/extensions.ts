import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ArgoCdLocator } from '@epicshelter/plugin-argocd-common';

/**
 * Finds a catalog entity's Argo CD applications: which instance(s) to ask
 * and which applications there are the entity's (name, label selector,
 * application namespace, project), as an {@link @epicshelter/plugin-argocd-common#ArgoCdLocator}.
 * @public
 */
export interface ArgoCdApplicationLocator {
  /**
   * The entity's locator, or undefined when the entity has no Argo CD
   * applications to look for (its routes then answer 400).
   */
  locate(entity: Entity): Promise<ArgoCdLocator | undefined>;
  /**
   * One sentence telling the entity's owner how to make its applications
   * found, used when {@link ArgoCdApplicationLocator.locate} returns undefined.
   */
  describeMissing?(entityRef: string): string;
}

/**
 * Lets backend modules replace how the Argo CD backend finds an entity's
 * applications. Without a module, the annotation locator
 * ({@link annotationApplicationLocator}) is used.
 * @public
 */
export interface ArgoCdLocatorExtensionPoint {
  /** Sets the locator; a second call (by another module) fails the backend start. */
  setApplicationLocator(locator: ArgoCdApplicationLocator): void;
}

/**
 * Extension point of the Argo CD backend (plugin id `epicshelter-argocd`)
 * for the application locator.
 * @public
 */
export const argocdLocatorExtensionPoint =
  createExtensionPoint<ArgoCdLocatorExtensionPoint>({
    id: 'epicshelter-argocd.application-locator',
  });
