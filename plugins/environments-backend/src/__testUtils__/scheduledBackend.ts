import {
  BackendFeature,
  createServiceFactory,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import type { JsonObject } from '@backstage/types';
import environmentsPlugin from '../index';

/** A task the plugin scheduled, as the scheduler received it. */
export type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * The environments backend with `entities` in the catalog and `config` as
 * app-config, whose scheduled tasks are kept (never run by themselves: the
 * test runs them) and whose notifications are kept instead of sent.
 */
export async function startScheduledEnvironmentsBackend(options: {
  entities: Entity[];
  config: JsonObject;
  features?: BackendFeature[];
}) {
  const tasks: ScheduledTask[] = [];
  const scheduler = mockServices.scheduler.mock({
    async scheduleTask(task) {
      tasks.push(task);
    },
  });
  const sent: NotificationSendOptions[] = [];
  const { server } = await startTestBackend({
    features: [
      environmentsPlugin,
      scheduler.factory,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.rootConfig.factory({ data: options.config }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(n: NotificationSendOptions) {
            sent.push(n);
          },
        }),
      }),
      ...(options.features ?? []),
    ],
  });
  /** Runs the scheduled task `id` once, as the scheduler would. */
  const run = async (id: string) => {
    const task = tasks.find(t => t.id === id);
    if (!task) throw new Error(`No task ${id} was scheduled`);
    await task.fn(new AbortController().signal);
  };
  return { server, tasks, sent, run };
}
