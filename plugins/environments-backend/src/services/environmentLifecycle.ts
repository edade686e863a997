import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  EnvironmentExpiryHistory,
  EnvironmentLifecycleResponse,
  computeLifecycle,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import { findOpenChange } from './openChange';
import { readExpiryHistory } from './expiryHistory';
import {
  environmentDocumentPath,
  message,
  type EnvironmentSnapshot,
} from './environmentSnapshot';

/** What the expiry of an environment is read from. */
export interface ExpirySources {
  repository?: GitOpsRepositoryReader;
  logger: LoggerService;
  /** The time an expiry is compared with (default: the system clock). */
  clock?: () => Date;
}

/**
 * The expiry of an ephemeral environment from the history of its
 * document (see readExpiryHistory), and the decommission change
 * open for it; undefined for an environment that does not expire.
 */
async function readExpiry(
  sources: ExpirySources,
  entity: Entity,
  snapshot: EnvironmentSnapshot,
): Promise<EnvironmentExpiryHistory | undefined> {
  const declared = snapshot.spec?.expiry;
  const repository = sources.repository;
  if (!declared) return undefined;
  if (!repository) {
    return {
      current: declared,
      extensions: [],
      partial: true,
      error: 'No gitops.repository configured: extensions cannot be read',
    };
  }
  const input = snapshot.lifecycleInput;
  const [history, openChange] = await Promise.all([
    readExpiryHistory(repository, environmentDocumentPath(entity)).catch(
      (e): EnvironmentExpiryHistory => ({
        current: declared,
        extensions: [],
        partial: true,
        error: `Extensions could not be read: ${message(e)}`,
      }),
    ),
    findOpenChange({
      repository,
      environment: snapshot.name,
      changeBranch: input.changeBranch,
      change: input.change,
      logger: sources.logger,
    }),
  ]);
  const current = history.current ?? declared;
  return {
    ...history,
    current,
    ...(openChange?.removesEnvironment
      ? {
          decommission: {
            change: openChange,
            expiryTriggered:
              Date.parse(current.expiresAt) <=
              (sources.clock?.() ?? new Date()).getTime(),
          },
        }
      : {}),
  };
}

/**
 * The lifecycle of an environment from its snapshot, with its expiry and
 * extensions (and an open decommission) when it expires.
 */
export async function readEnvironmentLifecycle(
  sources: ExpirySources,
  entity: Entity,
  snapshot: EnvironmentSnapshot,
): Promise<EnvironmentLifecycleResponse> {
  const lifecycle = computeLifecycle(snapshot.lifecycleInput);
  const expiry = await readExpiry(sources, entity, snapshot);
  return expiry ? { ...lifecycle, expiry } : lifecycle;
}
