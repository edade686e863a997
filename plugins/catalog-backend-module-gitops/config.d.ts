import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Epicshelter GitOps entity provider. The repository itself is
       * `gitops.repository` (declared by @epicshelter/plugin-gitops-node).
       */
      epicshelterGitops?: {
        /**
         * How often the repository is read. Default: every 30 seconds,
         * timeout 3 minutes. An unchanged head costs one ref lookup (local)
         * or one commit-status request (GitHub).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Besides the schedule, the provider refreshes right away on
         * `epicshelter.gitops.changed` events (published by the
         * `epicshelter:gitops:publish` scaffolder action); events within
         * this many milliseconds share one refresh. Default 500.
         */
        eventDebounceMs?: number;
        /**
         * The System every environment and its resources belong to, which
         * the provider also emits (so the environments do not land in the
         * portal's own System). Default `environments`.
         */
        system?: string;
        /** Owner of the emitted System. Default `group:default/platform-team`. */
        systemOwner?: string;
      };
    };
  };
}
