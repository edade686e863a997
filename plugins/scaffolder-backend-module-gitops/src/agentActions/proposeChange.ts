import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { environmentDir } from '@epicshelter/plugin-gitops-common';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';
import { environmentEntityRef } from '../actions/createEnvironment';
import type { Clock } from '../actions/expiry';
import { assertValidAfterChange } from '../actions/validate';
import { provenanceOf } from '../publish/provenance';
import {
  PublishDeps,
  prepareChange,
  publishPreparedChange,
} from '../publish/publishChange';
import {
  ChangeFile,
  ChangeProvenance,
  runWithoutCheckpoint,
} from '../publish/types';
import type { RepositoryAccess, RepositorySnapshot } from '../repository';
import type { ChangeInput } from './changeSchema';
import { filesDiff } from './filesDiff';
import type { LiveProtectionCheck } from '../actions/decommissionProtection';

/** What the agent actions that change environments need. */
export type AgentActionDeps = {
  access: RepositoryAccess;
  authorizer: EnvironmentAuthorizer;
  publish: PublishDeps;
  catalog: CatalogService;
  auditor: AuditorService;
  clock: Clock;
  /** Whether a decommission's kept resources carry their protection live. */
  protection?: LiveProtectionCheck;
};

/** A change to one environment, planned on a snapshot of the repository. */
export type PlannedChange = {
  environment: string;
  /** Whether the change creates the environment or changes it (for the guard's message). */
  kind: 'created' | 'changed';
  title: string;
  /** Markdown summary; also the top of the pull request body. */
  summary: string;
  /** The pull request body when it is more than the summary. */
  description?: string;
  files: ChangeFile[];
  /** Repository files the change deletes. */
  deletions?: string[];
  /** Paths the change depends on (default: the environment's folder). */
  guardPaths?: string[];
  /**
   * Whether the GitOps validator checks the repository after the change
   * (default true, as the templates that run epicshelter:gitops:validate).
   */
  validate?: boolean;
  rendered?: { diff: string; problems: string[] };
};

/** The output of a change action (see changeOutputSchema). */
export type ProposedChange = {
  dryRun: boolean;
  environment: string;
  entityRef: string;
  title: string;
  summary: string;
  baseCommit: string;
  files: ChangeFile[];
  deleted?: string[];
  diff: string;
  renderedDiff?: string;
  renderProblems?: string[];
  url?: string;
  commitSha?: string;
  branch?: string;
  pullRequestUrl?: string;
};

/** Who asked, from the caller's catalog profile, for the commit and the body. */
async function provenanceOfCaller(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<ChangeProvenance> {
  const principal = credentials.principal as { userEntityRef?: string };
  const ref = principal.userEntityRef;
  const entity = ref
    ? await catalog.getEntityByRef(ref, { credentials })
    : undefined;
  return provenanceOf(
    { ref, entity: entity && isUserEntity(entity) ? entity : undefined },
    undefined,
  );
}

/**
 * Checks a planned change with the GitOps validator, then either returns it
 * as a preview (files, file diff, rendered diff, base commit) or, with
 * `confirm`, publishes it through the same publishers as
 * `epicshelter:gitops:publish`, guarded by the base the dry run returned.
 */
export async function proposeChange(
  deps: AgentActionDeps,
  options: {
    credentials: BackstageCredentials;
    input: ChangeInput;
    snapshot: RepositorySnapshot;
    planned: PlannedChange;
    logger: LoggerService;
  },
): Promise<ProposedChange> {
  const { credentials, input, snapshot, planned, logger } = options;
  const { environment, files, rendered } = planned;
  const deletions = planned.deletions ?? [];
  if (planned.validate ?? true) {
    assertValidAfterChange({ ...snapshot.files }, files);
  }
  const preview: ProposedChange = {
    dryRun: true,
    environment,
    entityRef: environmentEntityRef(environment),
    title: planned.title,
    summary: planned.summary,
    baseCommit: snapshot.commit,
    files,
    ...(deletions.length > 0 ? { deleted: deletions } : {}),
    diff: filesDiff(snapshot.files, files, deletions),
    ...(rendered
      ? { renderedDiff: rendered.diff, renderProblems: rendered.problems }
      : {}),
  };
  if (!input.confirm) return preview;
  const prepared = prepareChange(deps.publish, {
    environment,
    files,
    ...(deletions.length > 0 ? { deletions } : {}),
    repository: input.repository,
    targetBranch: input.targetBranch,
    guard: {
      baseCommit: input.baseCommit ?? snapshot.commit,
      paths: planned.guardPaths ?? [environmentDir(environment)],
      kind: planned.kind,
    },
    title: planned.title,
    description: planned.description ?? planned.summary,
    provenance: await provenanceOfCaller(deps.catalog, credentials),
  });
  const result = await publishPreparedChange(deps.publish, prepared, {
    logger,
    checkpoint: runWithoutCheckpoint,
  });
  return {
    ...preview,
    dryRun: false,
    url: result.webUrl,
    commitSha: result.commitSha,
    branch: result.branch,
    ...(result.pullRequestUrl ? { pullRequestUrl: result.pullRequestUrl } : {}),
  };
}

/** What an audit event records of a published change. */
export function publishedMeta(change: ProposedChange) {
  return {
    commitSha: change.commitSha ?? '',
    url: change.url ?? '',
    files: change.files.map(f => f.path),
    deleted: change.deleted ?? [],
  };
}
