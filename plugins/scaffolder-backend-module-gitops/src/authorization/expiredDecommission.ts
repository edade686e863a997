import type {
  BackstageCredentials,
  BackstageServicePrincipal,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { getEnvironmentSpec } from '@epicshelter/plugin-environments-common';

/**
 * The service principal of the environments backend, whose expiry scheduler
 * starts the decommission of expired ephemeral environments.
 * @public
 */
export const EXPIRY_SERVICE_SUBJECT = 'plugin:environments';

/** True for credentials of the environments backend's own service principal. */
export function isExpiryService(credentials: BackstageCredentials): boolean {
  const principal = credentials.principal as Partial<BackstageServicePrincipal>;
  return (
    principal?.type === 'service' &&
    principal.subject === EXPIRY_SERVICE_SUBJECT
  );
}

/**
 * What the environments backend may do without a user: decommission an
 * environment whose recorded expiry (its catalog entity's
 * `spec.environment.expiry`) has passed — nothing else, and no environment
 * that does not expire. Throws NotAllowedError otherwise.
 */
export function authorizeExpiredDecommission(options: {
  entity: Entity | undefined;
  environment: string;
  change: string;
  /** The structured kind of the change; only `'decommission'` is allowed. */
  action?: string;
  now: Date;
}): void {
  const { entity, environment, change, action, now } = options;
  if (action !== 'decommission') {
    throw new NotAllowedError(
      `The environments backend may only decommission expired environments, not ${change} to environment '${environment}'; nothing was changed.`,
    );
  }
  const expiry = entity ? getEnvironmentSpec(entity)?.expiry : undefined;
  if (!expiry) {
    throw new NotAllowedError(
      `The environments backend may not decommission environment '${environment}': it has no expiry in the catalog; nothing was changed.`,
    );
  }
  if (!(Date.parse(expiry.expiresAt) <= now.getTime())) {
    throw new NotAllowedError(
      `The environments backend may not decommission environment '${environment}' yet: it expires at ${expiry.expiresAt}; nothing was changed.`,
    );
  }
}
