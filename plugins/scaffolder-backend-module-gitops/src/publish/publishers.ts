import { InputError } from '@backstage/errors';
import type {
  GitOpsPublisher,
  GitOpsRepositoryLocation,
} from '@epicshelter/plugin-gitops-node';

/** How a location is named in messages: its URL or path. */
export function describeLocation(location: GitOpsRepositoryLocation): string {
  return location.type === 'local' ? location.path : location.url;
}

/**
 * The first publisher that writes to `location`; InputError naming the
 * repository kind when none does.
 */
export function selectPublisher(
  publishers: GitOpsPublisher[],
  location: GitOpsRepositoryLocation,
): GitOpsPublisher {
  const publisher = publishers.find(p => p.supports(location));
  if (!publisher) {
    const kind =
      location.type === 'local'
        ? 'local'
        : `${location.integration} (${location.host})`;
    throw new InputError(
      `No GitOps publisher handles ${kind} repositories such as ${describeLocation(
        location,
      )}; publishers available: ${
        publishers.map(p => p.type).join(', ') || 'none'
      }. Add a backend module that registers one through gitopsPublishersExtensionPoint.`,
    );
  }
  return publisher;
}
