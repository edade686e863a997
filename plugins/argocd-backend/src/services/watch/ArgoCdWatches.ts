import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ArgoCdApplication,
  ArgoCdApplicationSet,
} from '@epicshelter/plugin-argocd-common';
import type { ArgoCdWatchConfig } from '../../config';
import type { ArgoCdFetcher } from '../ArgoCdFetcher';
import { ApplicationChange, ApplicationView } from './applicationView';
import { InstanceWatch } from './InstanceWatch';

/** An instance's applications as its healthy watch sees them. */
export interface WatchedInstance {
  items: ArgoCdApplication[];
  /** The instance's ApplicationSets, read with each (re-)list and after applications come or go. */
  applicationSets: ArgoCdApplicationSet[];
  /**
   * One application by name and namespace; without a namespace, the only
   * one of that name (undefined when several namespaces have one).
   */
  find(name: string, namespace?: string): ArgoCdApplication | undefined;
}

/** Options of {@link ArgoCdWatches}. */
export interface ArgoCdWatchesOptions {
  instances: string[];
  fetcher: ArgoCdFetcher;
  settings: ArgoCdWatchConfig;
  logger: LoggerService;
  /** Reads an instance's ApplicationSets (RBAC refusals become none). */
  readApplicationSets(instance: string): Promise<ArgoCdApplicationSet[]>;
  /** Called with each change the watch of an instance saw. */
  onChanges(instance: string, changes: ApplicationChange[]): void;
}

/** After applications come or go, their ApplicationSets are read again this much later. */
const APPLICATION_SETS_DELAY_MS = 1000;

/**
 * The watches of all configured instances (one each) and the views they
 * keep; {@link ArgoCdWatches.watched} answers only while an instance's
 * watch is healthy, so callers fall back to asking Argo CD otherwise.
 */
export class ArgoCdWatches {
  private readonly watches = new Map<string, InstanceWatch>();
  private readonly applicationSets = new Map<string, ArgoCdApplicationSet[]>();
  private readonly setTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lists = new WeakMap<ApplicationView, WatchedInstance>();

  constructor(private readonly options: ArgoCdWatchesOptions) {
    for (const instance of options.instances) {
      this.watches.set(
        instance,
        new InstanceWatch({
          instance,
          logger: options.logger,
          retryMinMs: options.settings.retryMinMs,
          retryMaxMs: options.settings.retryMaxMs,
          source: {
            list: () => options.fetcher.listAllApplications(instance),
            watch: (resourceVersion, abort) =>
              options.fetcher.watchApplications(
                instance,
                resourceVersion,
                abort,
              ),
          },
          onSynced: () => this.readApplicationSets(instance),
          onChanges: changes => {
            if (changes.some(c => c.type !== 'MODIFIED')) {
              this.scheduleApplicationSets(instance);
            }
            options.onChanges(instance, changes);
          },
        }),
      );
    }
  }

  /** Starts every instance's watch. */
  start(): void {
    this.watches.forEach(w => w.start());
  }

  /** Stops every watch (closing its stream) and pending reads. */
  async stop(): Promise<void> {
    this.setTimers.forEach(t => clearTimeout(t));
    this.setTimers.clear();
    await Promise.all([...this.watches.values()].map(w => w.stop()));
  }

  /** The instance's applications while its watch is healthy; undefined otherwise. */
  watched(instance: string): WatchedInstance | undefined {
    const view = this.watches.get(instance)?.current;
    // Served once the instance's ApplicationSets were read too (their conditions show in lists).
    if (!view || !this.applicationSets.has(instance)) return undefined;
    let list = this.lists.get(view);
    if (!list) {
      const items = [...view.apps.values()];
      list = {
        items,
        applicationSets: this.applicationSets.get(instance) ?? [],
        find: (name, namespace) => {
          const named = items.filter(
            a =>
              a.metadata?.name === name &&
              (!namespace || a.metadata?.namespace === namespace),
          );
          return named.length === 1 ? named[0] : undefined;
        },
      };
      this.lists.set(view, list);
    }
    return {
      ...list,
      applicationSets: this.applicationSets.get(instance) ?? [],
    };
  }

  private scheduleApplicationSets(instance: string) {
    if (this.setTimers.has(instance)) return;
    this.setTimers.set(
      instance,
      setTimeout(() => {
        this.setTimers.delete(instance);
        this.readApplicationSets(instance);
      }, APPLICATION_SETS_DELAY_MS),
    );
  }

  private readApplicationSets(instance: string) {
    this.options
      .readApplicationSets(instance)
      .then(sets => this.applicationSets.set(instance, sets))
      .catch(() => undefined);
  }
}
