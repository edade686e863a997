import { InputError, NotFoundError } from '@backstage/errors';
import {
  ApplicationSummary,
  ArgoCdLocator,
} from '@epicshelter/plugin-argocd-common';

/** The application an application route names. */
export interface RequestedApplication {
  instance: string;
  name: string;
  /** `?appNamespace=`; without it the entity's own application of that name is meant. */
  appNamespace?: string;
}

/**
 * Refuses an instance the entity is not pinned to: with `argocd/instance-name`
 * the entity's applications live on that instance only.
 */
export function checkInstance(
  locator: ArgoCdLocator,
  instance: string,
  entityRef: string,
): void {
  if (locator.instanceName && locator.instanceName !== instance) {
    throw new NotFoundError(
      `Argo CD instance "${instance}" is not ${entityRef}'s: its argocd/instance-name annotation names "${locator.instanceName}"`,
    );
  }
  // (an unknown instance is refused by the service, naming the configured ones)
}

/**
 * Picks the requested application among the entity's own applications on
 * the instance (what the entity's list shows there). Throws NotFoundError
 * when it is not one of them, and InputError when the name alone is
 * ambiguous (the same name in several application namespaces).
 */
export function pickOwnedApplication(
  own: ApplicationSummary[],
  requested: RequestedApplication,
  entityRef: string,
): ApplicationSummary {
  const { instance, name, appNamespace } = requested;
  const named = own.filter(a => a.name === name);
  const matches = appNamespace
    ? named.filter(a => a.namespace === appNamespace)
    : named;
  if (matches.length === 0) {
    const where = appNamespace ? ` in namespace "${appNamespace}"` : '';
    throw new NotFoundError(
      `Application "${name}"${where} on Argo CD instance "${instance}" is not one of ${entityRef}'s applications`,
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      `${entityRef} has applications named "${name}" in several namespaces on Argo CD instance "${instance}" (${matches
        .map(a => `"${a.namespace}"`)
        .join(', ')}); say which with ?appNamespace=`,
    );
  }
  return matches[0];
}
