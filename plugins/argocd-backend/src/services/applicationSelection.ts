import { InputError } from '@backstage/errors';
import {
  ApplicationDetailResponse,
  ApplicationSummary,
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdLocator,
} from '@epicshelter/plugin-argocd-common';
import { LabelMatcher, createLabelMatcher } from '@epicshelter/label-selector';

/**
 * Parses an `argocd/app-selector` annotation as Argo CD's `?selector=` does, so
 * applications can be selected from a shared list exactly as Argo CD would.
 */
export function appSelectorMatcher(selector: string): LabelMatcher {
  try {
    return createLabelMatcher(selector);
  } catch (e) {
    throw new InputError(
      `${
        (e as Error).message
      }; fix the argocd/app-selector annotation, e.g. app.kubernetes.io/name=my-service`,
    );
  }
}

/** The label matcher of a locator's selector, if it has one. */
export function locatorMatcher(
  locator: ArgoCdLocator,
): LabelMatcher | undefined {
  return locator.appSelector
    ? appSelectorMatcher(locator.appSelector)
    : undefined;
}

/**
 * Selects applications from a list as Argo CD's list call does for
 * `selector`, `name`, `appNamespace` and `projects`.
 */
export function selectApplications(
  items: ArgoCdApplication[],
  locator: ArgoCdLocator,
  match: LabelMatcher | undefined,
): ArgoCdApplication[] {
  return items.filter(
    a =>
      (!match || match(a.metadata?.labels)) &&
      (locator.appSelector ||
        !locator.appName ||
        a.metadata?.name === locator.appName) &&
      (!locator.appNamespace ||
        a.metadata?.namespace === locator.appNamespace) &&
      (!locator.projectName || a.spec?.project === locator.projectName),
  );
}

/** The query of Argo CD's list call that selects what the locator does. */
export function listQuery(locator: ArgoCdLocator, fields: string) {
  return {
    fields,
    name: locator.appSelector ? undefined : locator.appName,
    selector: locator.appSelector,
    appNamespace: locator.appNamespace,
    projects: locator.projectName,
  };
}

/** The ApplicationSet that generated an application, if any. */
export function ownerApplicationSet(
  app: ArgoCdApplication,
): string | undefined {
  return app.metadata?.ownerReferences?.find(o => o.kind === 'ApplicationSet')
    ?.name;
}

/** The application's ApplicationSet among `sets` (same name, same namespace). */
function applicationSetOf(
  app: ArgoCdApplication,
  sets: ArgoCdApplicationSet[],
): ArgoCdApplicationSet | undefined {
  const name = ownerApplicationSet(app);
  return name
    ? sets.find(
        s =>
          s.metadata?.name === name &&
          (s.metadata?.namespace ?? '') === (app.metadata?.namespace ?? ''),
      )
    : undefined;
}

/** The ApplicationSets among `sets` that own one of `apps`. */
export function owningApplicationSets(
  apps: ArgoCdApplication[],
  sets: ArgoCdApplicationSet[],
): ArgoCdApplicationSet[] {
  const owning = new Set(apps.map(a => applicationSetOf(a, sets)));
  return sets.filter(s => owning.has(s));
}

/** Adds the conditions of the application's ApplicationSet (same name, same namespace). */
export function withApplicationSetConditions(
  summary: ApplicationSummary,
  app: ArgoCdApplication,
  sets: ArgoCdApplicationSet[],
): ApplicationSummary {
  const set = applicationSetOf(app, sets);
  return set
    ? { ...summary, applicationSetConditions: set.status?.conditions ?? [] }
    : summary;
}

/** ApplicationSets reduced to what lists show: name, namespace, conditions. */
export function slimApplicationSets(
  sets: ArgoCdApplicationSet[],
): ArgoCdApplicationSet[] {
  return sets.map(set => ({
    metadata: {
      name: set.metadata?.name,
      namespace: set.metadata?.namespace,
    },
    status: { conditions: set.status?.conditions ?? [] },
  }));
}

/** The detail view of an application's ApplicationSet: its generated applications and conditions. */
export function applicationSetDetail(
  name: string,
  set: ArgoCdApplicationSet | undefined,
): NonNullable<ApplicationDetailResponse['applicationSet']> {
  return {
    name,
    applications: (set?.status?.resources ?? [])
      .filter(r => r.kind === 'Application' && r.name)
      .map(r => r.name as string),
    conditions: set?.status?.conditions ?? [],
  };
}

/** Sync status per resource (`group/kind/namespace/name`) of an application. */
export function syncStatusByResource(
  app: ArgoCdApplication,
): Record<string, string> {
  const syncStatus: Record<string, string> = {};
  for (const r of app.status?.resources ?? []) {
    syncStatus[`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`] =
      r.status ?? 'Unknown';
  }
  return syncStatus;
}

/** What the history view needs of an application: its sources and history. */
export function historyOnly(app: ArgoCdApplication): ArgoCdApplication {
  return {
    metadata: { name: app.metadata?.name },
    spec: { source: app.spec?.source, sources: app.spec?.sources },
    status: { history: app.status?.history },
  };
}
