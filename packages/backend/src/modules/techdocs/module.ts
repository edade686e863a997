import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DirectoryPreparer,
  techdocsPreparerExtensionPoint,
} from '@backstage/plugin-techdocs-node';
import { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';
import { DocsPrebuilder } from './DocsPrebuilder';

/** The id of the search plugin's techdocs collator task (IndexBuilder). */
const TECHDOCS_INDEX_TASK = 'search_index_techdocs';

/** True when `techdocs.builder` lets the portal build docs itself. */
export function buildsInPortal(builder: string | undefined): boolean {
  return builder === undefined || builder === 'local';
}

/**
 * TechDocs builds `dir:` sources from a copy, so a build in the portal never
 * rewrites the mkdocs.yml files of the checkout it reads them from.
 */
export const techdocsModuleCopyingPreparer = createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'epicshelter-copying-preparer',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        preparers: techdocsPreparerExtensionPoint,
      },
      async init({ config, logger, urlReader, preparers }) {
        const directory = DirectoryPreparer.fromConfig(config, {
          logger,
          reader: urlReader,
        });
        preparers.registerPreparer(
          'dir',
          new CopyingDirectoryPreparer(directory),
        );
      },
    });
  },
});

/**
 * Builds every documented entity's site shortly after start (and any new
 * one each minute), then re-runs the techdocs search collator, so docs
 * search answers from the first minutes instead of only for sites someone
 * has opened. Does nothing when docs are built outside the portal.
 */
export const searchModuleTechdocsPrebuild = createBackendModule({
  pluginId: 'search',
  moduleId: 'epicshelter-techdocs-prebuild',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, auth, discovery, scheduler, catalog }) {
        if (!buildsInPortal(config.getOptionalString('techdocs.builder'))) {
          return;
        }
        const prebuilder = new DocsPrebuilder({
          catalog,
          auth,
          discovery,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'epicshelter-techdocs-prebuild',
          scope: 'local',
          frequency: { minutes: 1 },
          timeout: { minutes: 15 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            const { built } = await prebuilder.buildMissing();
            if (built.length === 0) return;
            logger.info(
              `Built the docs of ${built.join(', ')}; re-indexing docs search`,
            );
            await scheduler
              .triggerTask(TECHDOCS_INDEX_TASK)
              .catch(error =>
                logger.warn(
                  `Could not start the techdocs search index task: ${error}`,
                ),
              );
          },
        });
      },
    });
  },
});
