import {
  ARGOCD_APPLICATION_EVENT_TOPIC,
  ArgoCdApplicationChangedEvent,
  classifyApplication,
} from '@epicshelter/plugin-argocd-common';
import {
  CROSSPLANE_RESOURCE_EVENT_TOPIC,
  CrossplaneResourceChangedEvent,
} from '@epicshelter/plugin-crossplane-common';
import { LABEL_ENVIRONMENT } from '@epicshelter/plugin-environments-common';

/** The events-service topics whose changes concern environments. */
export const LIVE_CHANGE_TOPICS = [
  ARGOCD_APPLICATION_EVENT_TOPIC,
  CROSSPLANE_RESOURCE_EVENT_TOPIC,
];

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const labelsOf = (v: unknown): Record<string, string> =>
  isRecord(v)
    ? Object.fromEntries(
        Object.entries(v).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      )
    : {};

const environmentName = (name: string | undefined) =>
  name && DNS_LABEL.test(name) ? name : undefined;

/**
 * The environment an Argo CD application belongs to, as the environments
 * match their applications: its `epicshelter.io/environment` label, else the
 * `<env>-workloads` / `<env>-infrastructure` name.
 */
export function environmentOfApplication(
  change: Pick<ArgoCdApplicationChangedEvent, 'name' | 'labels'>,
): string | undefined {
  return environmentName(
    classifyApplication(change.name, change.labels).environment,
  );
}

/**
 * The environment a Crossplane object belongs to: its
 * `epicshelter.io/environment` label (every generated XR and claim carries
 * it), else its namespace (an environment's namespaced XRs and their
 * composed resources live in the namespace named after it, which the
 * environment entity's Crossplane namespace annotation names).
 */
export function environmentOfResource(
  change: Pick<CrossplaneResourceChangedEvent, 'labels' | 'namespace'>,
): string | undefined {
  return environmentName(change.labels[LABEL_ENVIRONMENT] ?? change.namespace);
}

/**
 * The environment an event of {@link LIVE_CHANGE_TOPICS} is about, or
 * undefined for another topic, a payload without a name, or an object that
 * belongs to no environment.
 */
export function environmentOfChange(event: {
  topic: string;
  eventPayload: unknown;
}): string | undefined {
  const payload = event.eventPayload;
  if (!isRecord(payload)) return undefined;
  const labels = labelsOf(payload.labels);
  if (event.topic === ARGOCD_APPLICATION_EVENT_TOPIC) {
    return typeof payload.name === 'string'
      ? environmentOfApplication({ name: payload.name, labels })
      : undefined;
  }
  if (event.topic === CROSSPLANE_RESOURCE_EVENT_TOPIC) {
    return environmentOfResource({
      labels,
      namespace:
        typeof payload.namespace === 'string' ? payload.namespace : undefined,
    });
  }
  return undefined;
}
