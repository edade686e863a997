import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/**
 * Who called: the user's entity ref, else the calling service. The auditor
 * takes the actor from an HTTP request, which an action of the registry
 * does not see, so the events name it in their metadata.
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal?.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal?.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return 'anonymous';
}

/**
 * Runs a call that writes (`mutating`) inside a `medium` audit event
 * (`eventId`) naming the actor and `meta`: success with what `describe`
 * reports, failure with the error, whatever refused it. A call that writes
 * nothing runs unaudited.
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    credentials: BackstageCredentials;
    mutating: boolean;
    meta: JsonObject;
    describe?: (result: T) => JsonObject;
  },
  run: () => Promise<T>,
): Promise<T> {
  if (!options.mutating) return run();
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: 'medium',
    meta: {
      actor: actorOf(options.credentials),
      via: 'actions-registry',
      ...options.meta,
    },
  });
  try {
    const result = await run();
    await event.success(
      options.describe ? { meta: options.describe(result) } : undefined,
    );
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
