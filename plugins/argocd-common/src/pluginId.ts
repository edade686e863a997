/**
 * Plugin id of the Epicshelter Argo CD plugins: the backend's routes are
 * under `/api/epicshelter-argocd`. It differs from `argocd` (Roadie's and the
 * community backend's id), so an app can run both side by side.
 * @public
 */
export const ARGOCD_PLUGIN_ID = 'epicshelter-argocd';
