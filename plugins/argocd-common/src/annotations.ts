import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ARGOCD_APP_SELECTOR,
  LABEL_ENVIRONMENT,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';

/** Name of one Argo CD application (Roadie/community compatible). @public */
export const ARGOCD_ANNOTATION_APP_NAME = 'argocd/app-name';
/** Kubernetes label selector matching the entity's applications (`argocd/app-selector`, declared in environments-common). @public */
export const ARGOCD_ANNOTATION_APP_SELECTOR = ANNOTATION_ARGOCD_APP_SELECTOR;
/** Restricts the lookup to one configured Argo CD instance. @public */
export const ARGOCD_ANNOTATION_INSTANCE_NAME = 'argocd/instance-name';
/** Namespace of the Application (apps-in-any-namespace). @public */
export const ARGOCD_ANNOTATION_APP_NAMESPACE = 'argocd/app-namespace';
/** Argo CD project: alone it selects every app of the project; with a selector it narrows it. @public */
export const ARGOCD_ANNOTATION_PROJECT_NAME = 'argocd/project-name';

/**
 * Namespace of Argo CD's control plane in a default installation: Applications
 * there are addressed without `appNamespace`, others (apps-in-any-namespace)
 * are shown with their namespace. @public
 */
export const ARGOCD_DEFAULT_APP_NAMESPACE = 'argocd';

/** Label our ApplicationSets put on each generated Application (`LABEL_ENVIRONMENT` of environments-common). @public */
export const ENVIRONMENT_LABEL = LABEL_ENVIRONMENT;

/** How an entity locates its Argo CD applications. @public */
export interface ArgoCdLocator {
  appName?: string;
  appSelector?: string;
  instanceName?: string;
  appNamespace?: string;
  projectName?: string;
}

/**
 * True for `Resource` entities of `spec.type: environment`.
 * @public
 * @deprecated Use `isEnvironmentEntity` of `@epicshelter/plugin-environments-common`; this is the same function.
 */
export const isEnvironmentResource = isEnvironmentEntity;

/**
 * Reads the Argo CD annotations of an entity. Environment resources without
 * annotations select the applications labelled with their name.
 * Returns undefined when the entity has no way to find applications.
 * @public
 */
export function getArgoCdLocator(entity: Entity): ArgoCdLocator | undefined {
  const a = entity.metadata.annotations ?? {};
  const clean = (v: string | undefined) => v?.trim() || undefined;
  const locator: ArgoCdLocator = {
    appName: clean(a[ARGOCD_ANNOTATION_APP_NAME]),
    appSelector: clean(a[ARGOCD_ANNOTATION_APP_SELECTOR]),
    instanceName: clean(a[ARGOCD_ANNOTATION_INSTANCE_NAME]),
    appNamespace: clean(a[ARGOCD_ANNOTATION_APP_NAMESPACE]),
    projectName: clean(a[ARGOCD_ANNOTATION_PROJECT_NAME]),
  };
  if (locator.appName || locator.appSelector || locator.projectName) {
    return locator;
  }
  if (isEnvironmentEntity(entity)) {
    return {
      ...locator,
      appSelector: `${ENVIRONMENT_LABEL}=${entity.metadata.name}`,
    };
  }
  return undefined;
}

/** True when the Argo CD tab/card applies to the entity. @public */
export function isArgoCdAvailable(entity: Entity): boolean {
  return getArgoCdLocator(entity) !== undefined;
}
