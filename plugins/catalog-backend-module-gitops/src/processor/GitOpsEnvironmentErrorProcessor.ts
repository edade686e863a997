import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { ANNOTATION_GITOPS_ERROR } from '@epicshelter/plugin-environments-common';

/**
 * Turns the `epicshelter.io/gitops-error` annotation, which the GitOps
 * entity provider sets on an environment whose `environment.yaml` is broken,
 * into a catalog processing error on that entity. The catalog then shows the
 * error (entity page / unprocessed entities) and keeps the last good version
 * of the environment, while every other environment is processed normally.
 * @public
 */
export class GitOpsEnvironmentErrorProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'EpicshelterGitOpsEnvironmentErrorProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const error = entity.metadata.annotations?.[ANNOTATION_GITOPS_ERROR];
    if (error) {
      emit(processingResult.generalError(location, error));
    }
    return entity;
  }
}
