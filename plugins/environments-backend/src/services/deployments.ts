import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ApplicationSummary } from '@epicshelter/plugin-argocd-common';
import { mapLimited } from '@epicshelter/plugin-gitops-node';
import {
  EnvironmentDeployment,
  EnvironmentDeploymentsResponse,
  RevisionComparison,
  classifyRevision,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import type { PortalClient } from './portal';
import { message, requireRepository } from './environmentSnapshot';

/** Each distinct revision compared with the branch head, a few at a time. */
async function compareAll(
  repo: GitOpsRepositoryReader,
  head: string,
  revisions: string[],
): Promise<Map<string, RevisionComparison>> {
  const distinct = [...new Set(revisions)];
  const compared = await mapLimited(
    distinct,
    4,
    async (revision): Promise<RevisionComparison> => {
      try {
        return classifyRevision(
          revision,
          head,
          await repo.compare(head, revision),
        );
      } catch (e) {
        return { revision, head, status: 'unknown', message: message(e) };
      }
    },
  );
  return new Map(distinct.map((revision, i) => [revision, compared[i]]));
}

/**
 * The Argo CD applications of environment `name`, each revision compared
 * with the head of the GitOps branch. What cannot be read is said in the
 * answer (headError, error) instead of failing it.
 */
export async function readDeployments(
  sources: { repository?: GitOpsRepositoryReader; portal: PortalClient },
  name: string,
  credentials: BackstageCredentials,
): Promise<EnvironmentDeploymentsResponse> {
  const response: EnvironmentDeploymentsResponse = {
    environment: name,
    items: [],
    instances: [],
    sandbox: false,
  };
  let head: string | undefined;
  try {
    const repo = requireRepository(sources.repository);
    const h = await repo.head();
    head = h.sha;
    response.head = { branch: repo.defaultBranch, sha: h.sha, url: h.url };
  } catch (e) {
    response.headError = message(e);
  }
  let apps: ApplicationSummary[] = [];
  try {
    const argo = await sources.portal.applications(name, credentials);
    apps = argo.items;
    response.sandbox = argo.sandbox;
    response.instances = argo.instances.map(i => ({
      name: i.name,
      status: i.status,
      ...(i.error ? { error: i.error.message } : {}),
      sandbox: i.sandbox,
    }));
  } catch (e) {
    response.error = `Argo CD applications could not be read: ${message(e)}`;
  }
  const comparisons = head
    ? await compareAll(
        requireRepository(sources.repository),
        head,
        apps.map(a => a.revision).filter((r): r is string => !!r),
      )
    : new Map<string, RevisionComparison>();
  response.items = apps.map(
    (a): EnvironmentDeployment => ({
      instance: a.instance,
      name: a.name,
      layer: a.layer,
      cluster: a.destination?.name ?? a.destination?.server,
      syncStatus: a.syncStatus,
      healthStatus: a.healthStatus,
      ...(a.healthMessage ? { healthMessage: a.healthMessage } : {}),
      ...(a.revision ? { revision: a.revision } : {}),
      ...(a.lastSyncedAt ? { lastSyncedAt: a.lastSyncedAt } : {}),
      ...(a.operationPhase ? { operationPhase: a.operationPhase } : {}),
      ...(a.operationMessage ? { operationMessage: a.operationMessage } : {}),
      ...(a.argoCdUrl ? { argoCdUrl: a.argoCdUrl } : {}),
      ...(a.commitUrl ? { commitUrl: a.commitUrl } : {}),
      ...(a.revision && comparisons.has(a.revision)
        ? { comparison: comparisons.get(a.revision) }
        : {}),
    }),
  );
  return response;
}
