import {
  ApplicationDetailResponse,
  ApplicationHistoryResponse,
  ApplicationSummary,
  ArgoCdLocator,
  InstanceResult,
  ResourceTreeResponse,
  SyncRequest,
} from '@epicshelter/plugin-argocd-common';
import type { AppRef } from './ArgoCdFetcher';

/** What the router asks of Argo CD (implemented by `ArgoCdService`). */
export interface ArgoCdApplications {
  /** True when answers from this instance (or any, without one) are sandbox data. */
  isSandbox(instance?: string): boolean;
  /** The applications a locator selects, across instances, with per-instance status. */
  listApplications(
    locator: ArgoCdLocator,
    options?: { prefetch?: boolean },
  ): Promise<{
    items: ApplicationSummary[];
    instances: InstanceResult[];
    sandbox: boolean;
  }>;
  /** The applications a locator selects on one instance (its errors thrown). */
  ownApplicationsOn(
    locator: ArgoCdLocator,
    instance: string,
  ): Promise<ApplicationSummary[]>;
  getApplication(ref: AppRef): Promise<ApplicationDetailResponse>;
  getResourceTree(ref: AppRef): Promise<ResourceTreeResponse>;
  getHistory(ref: AppRef): Promise<ApplicationHistoryResponse>;
  sync(ref: AppRef, options: SyncRequest): Promise<ApplicationSummary>;
  refresh(ref: AppRef, type: 'normal' | 'hard'): Promise<ApplicationSummary>;
  terminate(ref: AppRef): Promise<void>;
}
