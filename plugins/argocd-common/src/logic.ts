import { ENVIRONMENT_LABEL } from './annotations';
import {
  ApplicationLayer,
  ApplicationSummary,
  SourceRevision,
} from './api-types';
import {
  ArgoCdApplicationSetCondition,
  ArgoCdApplicationSource,
} from './argo-types';

const LAYER_SUFFIXES: Array<[string, ApplicationLayer]> = [
  ['-workloads', 'workloads'],
  ['-infrastructure', 'infrastructure'],
];

/**
 * Environment and layer of an application: the `epicshelter.io/environment`
 * label wins; otherwise `<env>-workloads` / `<env>-infrastructure` names.
 * @public
 */
export function classifyApplication(
  name: string,
  labels: Record<string, string> | undefined,
): { environment?: string; layer: ApplicationLayer } {
  let layer: ApplicationLayer = 'other';
  let fromName: string | undefined;
  for (const [suffix, l] of LAYER_SUFFIXES) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      layer = l;
      fromName = name.slice(0, -suffix.length);
    }
  }
  return { environment: labels?.[ENVIRONMENT_LABEL] || fromName, layer };
}

/** Applications of one environment on one Argo CD instance. @public */
export interface ApplicationGroup {
  environment?: string;
  instance: string;
  workloads: ApplicationSummary[];
  infrastructure: ApplicationSummary[];
  other: ApplicationSummary[];
}

/** Groups applications by environment, then by instance (cluster). @public */
export function groupApplications(
  items: ApplicationSummary[],
): ApplicationGroup[] {
  const groups = new Map<string, ApplicationGroup>();
  for (const item of items) {
    const key = `${item.environment ?? ''}\u0000${item.instance}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        environment: item.environment,
        instance: item.instance,
        workloads: [],
        infrastructure: [],
        other: [],
      };
      groups.set(key, group);
    }
    group[item.layer].push(item);
  }
  return [...groups.values()].sort((a, b) => {
    if (!a.environment !== !b.environment) return a.environment ? -1 : 1;
    return (
      (a.environment ?? '').localeCompare(b.environment ?? '') ||
      a.instance.localeCompare(b.instance)
    );
  });
}

/**
 * Link to a commit for the common Git hosts, or undefined when the host is
 * unknown or the revision is not a commit SHA.
 * @public
 */
export function commitUrl(
  repoURL: string | undefined,
  revision: string | undefined,
): string | undefined {
  if (!repoURL || !revision || !/^[0-9a-f]{7,64}$/i.test(revision)) {
    return undefined;
  }
  let url: URL;
  try {
    const normalized = repoURL.startsWith('git@')
      ? `https://${repoURL.slice(4).replace(':', '/')}`
      : repoURL;
    url = new URL(normalized);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const base = `https://${url.host}${path}`;
  if (url.host.includes('gitlab')) return `${base}/-/commit/${revision}`;
  if (url.host.includes('bitbucket')) return `${base}/commits/${revision}`;
  if (url.host.includes('github') || url.host.includes('gitea')) {
    return `${base}/commit/${revision}`;
  }
  return undefined;
}

/** True when a source is a Helm chart (its revision is a version, not a commit). @public */
export function isHelmChartSource(source?: ArgoCdApplicationSource): boolean {
  return Boolean(source?.chart);
}

/** True for a full commit SHA (SHA-1 or SHA-256), not a branch or tag. @public */
export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40,64}$/i.test(revision);
}

/** Short form of a commit SHA for display. @public */
export function shortRevision(revision?: string): string | undefined {
  if (!revision) return undefined;
  return isCommitSha(revision) ? revision.slice(0, 7) : revision;
}

/**
 * Pairs an application's sources with their revisions: `revisions[i]` belongs
 * to `sources[i]` on multi-source applications (status.sync.revisions,
 * history revisions), `revision` to the only source otherwise.
 * @public
 */
export function sourceRevisions(
  sources: ArgoCdApplicationSource[],
  revision: string | undefined,
  revisions: string[] | undefined,
): SourceRevision[] {
  return sources.map((source, index) => {
    const rev = revisions ? revisions[index] : revision;
    return {
      index,
      source,
      revision: rev || undefined,
      commitUrl: isHelmChartSource(source)
        ? undefined
        : commitUrl(source.repoURL, rev),
    };
  });
}

/** What a source deploys, e.g. `chart orders-api` or `path apps/orders`. @public */
export function describeSource(source: ArgoCdApplicationSource): string {
  if (source.chart) return `chart ${source.chart}`;
  if (source.path) return `path ${source.path}`;
  if (source.ref) return `ref ${source.ref}`;
  return 'repository root';
}

/**
 * What an ApplicationSet condition means for the platform engineer:
 * ErrorOccurred=True, ParametersGenerated=False and ResourcesUpToDate=False
 * are errors (applications are not generated or not updated),
 * RolloutProgressing=True is a rollout in progress, anything else is fine.
 * @public
 */
export function applicationSetConditionState(
  condition: ArgoCdApplicationSetCondition,
): 'error' | 'progress' | 'ok' {
  const isTrue = condition.status === 'True';
  switch (condition.type) {
    case 'ErrorOccurred':
      return isTrue ? 'error' : 'ok';
    case 'ParametersGenerated':
    case 'ResourcesUpToDate':
      return condition.status === 'False' ? 'error' : 'ok';
    case 'RolloutProgressing':
      return isTrue ? 'progress' : 'ok';
    default:
      return 'ok';
  }
}
