/**
 * The live-update contract of the Crossplane plugins.
 *
 * The backend watches the Crossplane objects of every cluster it knows. Each
 * change is published to other backend plugins through the events service
 * (with the conditions a listener needs) and to browsers through Backstage
 * signals without object data: a page that receives the signal fetches again
 * through the permission-checked routes.
 */

/** Signals channel on which the backend announces changed Crossplane objects. @public */
export const CROSSPLANE_RESOURCES_SIGNAL_CHANNEL =
  'epicshelter-crossplane:resources';

/**
 * Payload of {@link CROSSPLANE_RESOURCES_SIGNAL_CHANNEL}: which cluster
 * changed, and a counter that grows with every change the backend saw.
 * @public
 */
export type CrossplaneResourcesSignal = {
  cluster: string;
  revision: number;
};

/** Events-service topic of one Crossplane object change. @public */
export const CROSSPLANE_RESOURCE_EVENT_TOPIC =
  'epicshelter.crossplane.resource';

/**
 * Payload of {@link CROSSPLANE_RESOURCE_EVENT_TOPIC}, one per change the
 * backend's watches observed.
 * @public
 */
export type CrossplaneResourceChangedEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The object's labels, from which listeners find its environment. */
  labels: Record<string, string>;
  /** Status of the `Ready` condition (`True`, `False`, `Unknown`), if any. */
  ready?: string;
  /** Status of the `Synced` condition, if any. */
  synced?: string;
  /** Reason and message of the first condition that is not `True`. */
  reason?: string;
  message?: string;
};
