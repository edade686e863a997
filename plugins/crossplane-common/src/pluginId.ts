/**
 * Plugin id of the Epicshelter Crossplane plugins: the backend's routes are
 * under `/api/epicshelter-crossplane`. It differs from `crossplane`
 * (TeraSky's backend id), so an app can run both side by side.
 * @public
 */
export const CROSSPLANE_PLUGIN_ID = 'epicshelter-crossplane';
