import {
  AuditorService,
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import express from 'express';

/**
 * Severity of the argocd audit events. Backstage's default auditor writes
 * `low` at debug level (not recorded with the default `info` log level) and
 * `medium` and above at info, so every event here is `medium`: actions
 * change what runs in a cluster, refusals show someone trying.
 */
export const AUDIT_SEVERITY = 'medium' as const;

/** Why a request was refused before it reached Argo CD. */
export type RefusalReason = 'validation' | 'permission' | 'ownership';

/** Audit metadata: the entity, instance and application a request names. */
export type AuditMeta = Record<string, string | boolean | undefined>;

/** The metadata without its unset entries, as the auditor takes it. */
export const auditMeta = (meta: AuditMeta): Record<string, string | boolean> =>
  Object.fromEntries(
    Object.entries(meta).filter(([, v]) => v !== undefined),
  ) as Record<string, string | boolean>;

/** Starts an audit event (the auditor adds the actor from the request's credentials). */
export function startAuditEvent(
  auditor: AuditorService,
  req: express.Request,
  eventId: string,
  meta: AuditMeta,
): Promise<AuditorServiceEvent> {
  return auditor.createEvent({
    eventId,
    severityLevel: AUDIT_SEVERITY,
    request: req,
    meta: auditMeta(meta),
  });
}

/** Records a request refused before reaching Argo CD (validation, permission, ownership). */
export async function auditRefusal(
  auditor: AuditorService,
  req: express.Request,
  meta: AuditMeta,
  reason: RefusalReason,
  error: Error,
): Promise<void> {
  const event = await startAuditEvent(auditor, req, 'request-refused', {
    ...meta,
    refused: reason,
  });
  await event.fail({ error });
}
