import { getArgoCdLocator } from '@epicshelter/plugin-argocd-common';
import { ArgoCdApplicationLocator } from './extensions';

/**
 * The default locator: the Roadie / community annotations (`argocd/app-name`,
 * `argocd/app-selector`, `argocd/instance-name`, `argocd/app-namespace`,
 * `argocd/project-name`), and for environment resources without them the
 * applications labelled `epicshelter.io/environment=<name>`.
 * @public
 */
export const annotationApplicationLocator: ArgoCdApplicationLocator = {
  async locate(entity) {
    return getArgoCdLocator(entity);
  },
  describeMissing(entityRef) {
    return `Entity ${entityRef} has no Argo CD annotation; add argocd/app-selector (e.g. app.kubernetes.io/name=<name>) or argocd/app-name`;
  },
};
