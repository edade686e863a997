/**
 * The live-update contract of the Argo CD plugins.
 *
 * The backend keeps one watch per Argo CD instance. Each change it sees is
 * published twice:
 * - to other backend plugins through the events service, with the state a
 *   listener needs to react (environments-backend's incident notifier and its
 *   status cache);
 * - to browsers through Backstage signals, without any object data: a page
 *   that receives the signal fetches again through the permission-checked
 *   routes, so a signal never tells anyone more than they may read.
 */

/** Signals channel on which the backend announces changed applications. @public */
export const ARGOCD_APPLICATIONS_SIGNAL_CHANNEL =
  'epicshelter-argocd:applications';

/**
 * Payload of {@link ARGOCD_APPLICATIONS_SIGNAL_CHANNEL}: which instance
 * changed, and a counter that grows with every change the backend saw.
 * @public
 */
export type ArgoCdApplicationsSignal = {
  instance: string;
  revision: number;
};

/** Events-service topic of one application change. @public */
export const ARGOCD_APPLICATION_EVENT_TOPIC = 'epicshelter.argocd.application';

/**
 * Payload of {@link ARGOCD_APPLICATION_EVENT_TOPIC}, one per application
 * change the backend's watch observed.
 * @public
 */
export type ArgoCdApplicationChangedEvent = {
  /** `ADDED`, `MODIFIED` or `DELETED`, as Argo CD's watch stream says. */
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  instance: string;
  namespace: string;
  name: string;
  /** The application's labels, from which listeners find its environment. */
  labels: Record<string, string>;
  syncStatus?: string;
  healthStatus?: string;
  /** The current or last operation's phase, when there is one. */
  operationPhase?: string;
  /** The operation's message, when the phase is Failed or Error. */
  operationMessage?: string;
};
