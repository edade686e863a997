import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { GitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { readArgoCdInstancesByTarget } from '@epicshelter/plugin-environments-common';
import {
  GITOPS_CHANGED_TOPIC,
  normalizeRepository,
  parseGitOpsChangedEvent,
} from './events';
import {
  DEFAULT_ENVIRONMENTS_SYSTEM,
  RepositoryDescription,
  entitiesForEnvironmentFile,
  environmentsSystemEntity,
} from './entities';
import {
  GitOpsRepositoryServiceSource,
  GitOpsRepositorySource,
} from './sources';

/** What one refresh did. @public */
export interface GitOpsRefreshResult {
  type: 'full' | 'delta' | 'unchanged';
  revision?: string;
  /** Environments whose entities were (re-)emitted. */
  emitted: string[];
  /** Environments whose entities were removed. */
  removed: string[];
  /** Environments with a broken environment.yaml (emitted as error entities). */
  broken: string[];
}

interface EmittedEnvironment {
  fingerprint: string;
  refs: string[];
}

/** Options of {@link GitOpsEntityProvider}. @public */
export interface GitOpsEntityProviderOptions {
  source: GitOpsRepositorySource;
  repository: RepositoryDescription;
  logger: LoggerService;
  /** Runs the refresh; without it, call {@link GitOpsEntityProvider.refresh} yourself. */
  taskRunner?: SchedulerServiceTaskRunner;
  /**
   * When given, the provider also refreshes right away (debounced) on
   * `epicshelter.gitops.changed` events about its repository.
   */
  events?: EventsService;
  /** Quiet time that coalesces a burst of change events into one refresh. Default 500 ms. */
  eventDebounceMs?: number;
  /**
   * The System environments belong to (default `environments`); with an
   * `owner`, the provider also emits that System entity.
   */
  system?: { name: string; owner?: string };
}

/** Owner of the emitted environments System unless configured. @public */
export const DEFAULT_ENVIRONMENTS_SYSTEM_OWNER = 'group:default/platform-team';

const DEFAULT_SCHEDULE = {
  frequency: { seconds: 30 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 5 },
};

/**
 * Emits the environments of the Epicshelter GitOps repository as catalog
 * entities (see `environmentEntities`).
 *
 * The first refresh is a `full` mutation. Later refreshes compare the new
 * head with the last seen commit: nothing happens while the head is
 * unchanged, and otherwise a `delta` mutation re-emits only the environments
 * whose folder changed and removes deleted environments (and resources an
 * environment no longer declares). The last seen commit and the per
 * environment fingerprints are kept in memory per provider instance, so a
 * restarted backend starts with a full mutation again. A broken
 * `environment.yaml` yields one error entity for that environment (see
 * `GitOpsEnvironmentErrorProcessor`), never a failed refresh.
 * @public
 */
export class GitOpsEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private lastRevision?: string;
  private emitted = new Map<string, EmittedEnvironment>();
  /** Refreshes run one after the other (schedule and events alike). */
  private queue: Promise<unknown> = Promise.resolve();
  /** The debounced, event-triggered refresh not started yet, if any. */
  private pendingEventRefresh?: Promise<GitOpsRefreshResult | undefined>;

  /**
   * Creates the provider from `gitops.repository` and the optional
   * `catalog.providers.epicshelterGitops.schedule`. Returns undefined when
   * no `gitops` config exists.
   */
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      scheduler: SchedulerService;
      /** The GitOps repository service (`gitopsRepositoryServiceRef` of gitops-node). */
      gitopsRepository: GitOpsRepositoryService;
      events?: EventsService;
    },
  ): GitOpsEntityProvider | undefined {
    const gitops = deps.gitopsRepository.configured();
    if (!gitops) {
      deps.logger.info(
        'No gitops config: the Epicshelter GitOps entity provider is not started',
      );
      return undefined;
    }
    const scheduleConfig = config.getOptionalConfig(
      'catalog.providers.epicshelterGitops.schedule',
    );
    const schedule = scheduleConfig
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
      : DEFAULT_SCHEDULE;
    const argoCdUrls = (config.getOptionalConfigArray('argocd.instances') ?? [])
      .map(c => ({
        name: c.getOptionalString('name') ?? '',
        url:
          c.getOptionalString('externalUrl') ??
          c.getOptionalString('url') ??
          '',
      }))
      .filter(a => a.name && /^https?:\/\//.test(a.url));
    return new GitOpsEntityProvider({
      source: new GitOpsRepositoryServiceSource(gitops),
      repository: {
        kind: gitops.kind,
        location: gitops.location,
        branch: gitops.defaultBranch,
        branchPrefix: gitops.branchPrefix,
        argoCdUrls,
        argoCdInstancesByTarget: readArgoCdInstancesByTarget(config),
      },
      logger: deps.logger,
      taskRunner: deps.scheduler.createScheduledTaskRunner(schedule),
      events: deps.events,
      eventDebounceMs: config.getOptionalNumber(
        'catalog.providers.epicshelterGitops.eventDebounceMs',
      ),
      system: {
        name:
          config.getOptionalString(
            'catalog.providers.epicshelterGitops.system',
          ) ?? DEFAULT_ENVIRONMENTS_SYSTEM,
        owner:
          config.getOptionalString(
            'catalog.providers.epicshelterGitops.systemOwner',
          ) ?? DEFAULT_ENVIRONMENTS_SYSTEM_OWNER,
      },
    });
  }

  constructor(private readonly options: GitOpsEntityProviderOptions) {}

  getProviderName(): string {
    return 'epicshelter-gitops';
  }

  private get locationKey() {
    return `epicshelter-gitops:${this.options.repository.location}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    const runner = this.options.taskRunner;
    if (runner) {
      await runner.run({
        id: `${this.getProviderName()}:refresh`,
        fn: async () => {
          try {
            await this.serialized();
          } catch (e) {
            this.options.logger.error(
              `Reading environments from ${this.options.source.description} failed; the catalog keeps the last read state`,
              e as Error,
            );
          }
        },
      });
    }
    if (this.options.events) {
      await this.options.events.subscribe({
        id: `${this.getProviderName()}-provider`,
        topics: [GITOPS_CHANGED_TOPIC],
        onEvent: async ({ eventPayload }) => {
          // Not awaited: the publisher (a scaffolder task) does not wait
          // for the catalog.
          this.onGitOpsChanged(eventPayload).catch(() => undefined);
        },
      });
    }
  }

  /**
   * Handles an `epicshelter.gitops.changed` payload: when it is about this
   * provider's repository (and branch, when both are known), refreshes after
   * `eventDebounceMs`; events arriving meanwhile share that refresh. Resolves
   * with the refresh result, or undefined when the event is not for us.
   */
  async onGitOpsChanged(
    payload: unknown,
  ): Promise<GitOpsRefreshResult | undefined> {
    const { logger, repository } = this.options;
    const event = parseGitOpsChangedEvent(payload);
    if (!event) {
      logger.warn(
        `Ignoring a ${GITOPS_CHANGED_TOPIC} event without a repository`,
      );
      return undefined;
    }
    if (
      normalizeRepository(event.repository) !==
      normalizeRepository(repository.location)
    ) {
      return undefined;
    }
    if (
      event.branch &&
      repository.branch &&
      event.branch !== repository.branch
    ) {
      logger.debug(
        `GitOps change on branch ${event.branch} is not on ${repository.branch}: no refresh`,
      );
      return undefined;
    }
    if (!this.pendingEventRefresh) {
      const delay = this.options.eventDebounceMs ?? 500;
      this.pendingEventRefresh = new Promise(resolve =>
        setTimeout(resolve, delay),
      ).then(() => {
        this.pendingEventRefresh = undefined;
        logger.info(
          `Refreshing environments from ${
            this.options.source.description
          } after a GitOps change${
            event.commitSha ? ` (${event.commitSha.slice(0, 12)})` : ''
          }`,
        );
        return this.serialized();
      });
      this.pendingEventRefresh.catch(e =>
        logger.error(
          `Reading environments from ${this.options.source.description} after a GitOps change failed; the schedule will retry`,
          e as Error,
        ),
      );
    }
    return this.pendingEventRefresh;
  }

  /** {@link GitOpsEntityProvider.refresh}, after any refresh already running. */
  private serialized(): Promise<GitOpsRefreshResult> {
    const run = this.queue.then(
      () => this.refresh(),
      () => this.refresh(),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the repository and applies a full or delta mutation. */
  async refresh(): Promise<GitOpsRefreshResult> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(
        'GitOpsEntityProvider is not connected to the catalog yet',
      );
    }
    const { logger, source, repository } = this.options;
    const snapshot = await source.read(this.lastRevision);
    if (snapshot === 'unchanged') {
      return {
        type: 'unchanged',
        revision: this.lastRevision,
        emitted: [],
        removed: [],
        broken: [],
      };
    }
    const full = this.lastRevision === undefined;
    const changed = [...snapshot.environments].filter(
      ([env, folder]) =>
        full || this.emitted.get(env)?.fingerprint !== folder.fingerprint,
    );
    const deleted = [...this.emitted.keys()].filter(
      env => !snapshot.environments.has(env),
    );

    const added: DeferredEntity[] = [];
    const removedRefs: string[] = [];
    const broken: string[] = [];
    const next = new Map(full ? [] : this.emitted);
    for (const [env, folder] of changed) {
      const content = await folder.readSpec();
      const { entities, error } = entitiesForEnvironmentFile(
        env,
        content,
        repository,
        { system: this.systemName },
      );
      if (error) {
        broken.push(env);
        logger.warn(`GitOps environment ${env} is broken: ${error}`);
      }
      const refs = entities.map(e => stringifyEntityRef(e));
      for (const old of this.emitted.get(env)?.refs ?? []) {
        if (!refs.includes(old)) removedRefs.push(old);
      }
      added.push(...entities.map(entity => this.deferred(entity)));
      next.set(env, { fingerprint: folder.fingerprint, refs });
    }
    for (const env of deleted) {
      removedRefs.push(...(this.emitted.get(env)?.refs ?? []));
      next.delete(env);
    }

    if (full) {
      const { system } = this.options;
      const systemEntities = system?.owner
        ? [
            this.deferred(
              environmentsSystemEntity(
                { name: system.name, owner: system.owner },
                repository,
              ),
            ),
          ]
        : [];
      await connection.applyMutation({
        type: 'full',
        entities: [...systemEntities, ...added],
      });
    } else if (added.length > 0 || removedRefs.length > 0) {
      await connection.applyMutation({
        type: 'delta',
        added,
        removed: removedRefs.map(entityRef => ({
          entityRef,
          locationKey: this.locationKey,
        })),
      });
    }
    this.emitted = next;
    this.lastRevision = snapshot.revision;
    const result: GitOpsRefreshResult = {
      type: full ? 'full' : 'delta',
      revision: snapshot.revision,
      emitted: changed.map(([env]) => env),
      removed: deleted,
      broken,
    };
    logger.info(
      `Read ${snapshot.environments.size} environments from ${
        source.description
      } at ${snapshot.revision.slice(0, 12) || '(no commit)'}: ${
        result.type
      }, ${result.emitted.length} emitted, ${result.removed.length} removed, ${
        broken.length
      } broken`,
    );
    return result;
  }

  private get systemName(): string {
    return this.options.system?.name ?? DEFAULT_ENVIRONMENTS_SYSTEM;
  }

  private deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.locationKey };
  }
}
