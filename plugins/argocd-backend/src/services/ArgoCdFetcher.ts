import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ArgoCdApplication,
  ArgoCdApplicationList,
  ArgoCdApplicationSet,
  ArgoCdApplicationTree,
  ArgoCdRevisionMetadata,
  SyncRequest,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdInstanceConfig } from '../config';
import { ArgoCdInstanceClient } from './ArgoCdInstanceClient';
import { RevisionLookup, RevisionMetadataResult } from './history';
import { jsonLines } from './watch/streamLines';

/** Identifies one application on one instance. */
export interface AppRef {
  instance: string;
  name: string;
  appNamespace?: string;
}

/** Query of Argo CD's application list call. */
export interface ListQuery {
  fields?: string;
  name?: string;
  selector?: string;
  appNamespace?: string;
  projects?: string;
}

const enc = encodeURIComponent;

/**
 * Every Argo CD call the backend makes, one method each, across the
 * configured instances; no caching (see `ArgoCdService`).
 */
export class ArgoCdFetcher {
  private readonly clients: Map<string, ArgoCdInstanceClient>;

  constructor(instances: ArgoCdInstanceConfig[], logger: LoggerService) {
    this.clients = new Map(
      instances.map(i => [
        i.name,
        new ArgoCdInstanceClient(i, logger.child({ argocdInstance: i.name })),
      ]),
    );
  }

  /** The configuration of a configured instance; NotFoundError naming the configured ones otherwise. */
  instance(name: string): ArgoCdInstanceConfig {
    return this.client(name).instance;
  }

  /** True when the instance is configured. */
  has(name: string): boolean {
    return this.clients.has(name);
  }

  private client(name: string): ArgoCdInstanceClient {
    const client = this.clients.get(name);
    if (!client) {
      const known = [...this.clients.keys()].join(', ') || 'none';
      throw new NotFoundError(
        `No Argo CD instance named "${name}" is configured (configured: ${known})`,
      );
    }
    return client;
  }

  /** `GET /api/v1/applications` with the query. */
  async listApplications(
    instance: string,
    query: ListQuery,
  ): Promise<ArgoCdApplication[]> {
    const list = await this.client(instance).request<ArgoCdApplicationList>({
      path: '/api/v1/applications',
      query: { ...query },
    });
    return list.items ?? [];
  }

  /**
   * `GET /api/v1/applications`, whole objects, with the list's
   * resourceVersion (what a watch resumes from).
   */
  async listAllApplications(
    instance: string,
  ): Promise<{ items: ArgoCdApplication[]; resourceVersion?: string }> {
    const list = await this.client(instance).request<ArgoCdApplicationList>({
      path: '/api/v1/applications',
    });
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion,
    };
  }

  /**
   * `GET /api/v1/stream/applications?resourceVersion=`: the changes after
   * that version, one JSON value per line, until the stream ends or
   * `abort` fires.
   */
  async watchApplications(
    instance: string,
    resourceVersion: string,
    abort: AbortSignal,
  ): Promise<AsyncIterable<unknown>> {
    const res = await this.client(instance).openStream(
      { path: '/api/v1/stream/applications', query: { resourceVersion } },
      abort,
    );
    if (!res.body) {
      throw new Error(
        `Argo CD instance "${instance}" sent an empty watch stream`,
      );
    }
    return jsonLines(res.body as unknown as AsyncIterable<Uint8Array>);
  }

  /** `GET /api/v1/applicationsets`. */
  async listApplicationSets(instance: string): Promise<ArgoCdApplicationSet[]> {
    const list = await this.client(instance).request<{
      items?: ArgoCdApplicationSet[];
    }>({ path: '/api/v1/applicationsets' });
    return list.items ?? [];
  }

  /** `GET /api/v1/applications/:name`. */
  getApplication(ref: AppRef): Promise<ArgoCdApplication> {
    return this.client(ref.instance).request<ArgoCdApplication>({
      path: `/api/v1/applications/${enc(ref.name)}`,
      query: { appNamespace: ref.appNamespace },
    });
  }

  /** `GET /api/v1/applicationsets/:name`. */
  getApplicationSet(
    instance: string,
    name: string,
    namespace: string | undefined,
  ): Promise<ArgoCdApplicationSet> {
    return this.client(instance).request<ArgoCdApplicationSet>({
      path: `/api/v1/applicationsets/${enc(name)}`,
      query: { appsetNamespace: namespace },
    });
  }

  /** `GET /api/v1/applications/:name/resource-tree`. */
  getResourceTree(ref: AppRef): Promise<ArgoCdApplicationTree> {
    return this.client(ref.instance).request<ArgoCdApplicationTree>({
      path: `/api/v1/applications/${enc(ref.name)}/resource-tree`,
      query: { appNamespace: ref.appNamespace },
    });
  }

  /** `GET …/revisions/:revision/metadata`; a failure is a result, not an error. */
  async getRevisionMetadata(
    ref: AppRef,
    { revision, sourceIndex }: RevisionLookup,
  ): Promise<RevisionMetadataResult> {
    try {
      const meta = await this.client(
        ref.instance,
      ).request<ArgoCdRevisionMetadata>({
        path: `/api/v1/applications/${enc(ref.name)}/revisions/${enc(
          revision,
        )}/metadata`,
        query: {
          appNamespace: ref.appNamespace,
          sourceIndex:
            sourceIndex === undefined ? undefined : String(sourceIndex),
        },
      });
      return { ok: true, meta };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  /** `POST /api/v1/applications/:name/sync`. */
  sync(ref: AppRef, options: SyncRequest): Promise<ArgoCdApplication> {
    return this.client(ref.instance).request<ArgoCdApplication>({
      method: 'POST',
      path: `/api/v1/applications/${enc(ref.name)}/sync`,
      body: {
        name: ref.name,
        appNamespace: ref.appNamespace,
        revision: options.revision,
        prune: options.prune ?? false,
        dryRun: options.dryRun ?? false,
      },
    });
  }

  /** `GET /api/v1/applications/:name?refresh=`. */
  refresh(ref: AppRef, type: 'normal' | 'hard'): Promise<ArgoCdApplication> {
    return this.client(ref.instance).request<ArgoCdApplication>({
      path: `/api/v1/applications/${enc(ref.name)}`,
      query: { refresh: type, appNamespace: ref.appNamespace },
    });
  }

  /** `DELETE /api/v1/applications/:name/operation`. */
  async terminate(ref: AppRef): Promise<void> {
    await this.client(ref.instance).request({
      method: 'DELETE',
      path: `/api/v1/applications/${enc(ref.name)}/operation`,
      query: { appNamespace: ref.appNamespace },
    });
  }
}
