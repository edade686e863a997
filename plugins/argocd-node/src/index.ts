/**
 * Extension points of the Epicshelter Argo CD backend (plugin id
 * `epicshelter-argocd`): how an entity's Argo CD applications are found.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './annotationLocator';
