import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import environmentsPlugin from '@epicshelter/plugin-environments/alpha';
import argocdPlugin from '@epicshelter/plugin-argocd';
import crossplanePlugin from '@epicshelter/plugin-crossplane';
import { environmentGraphModule } from './modules/environmentGraph';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

/**
 * The Epicshelter portal. Plugins listed in this package's dependencies are
 * discovered automatically (`app.packages: all` in app-config.yaml); only
 * modules that customise the shell are listed here.
 */
export default createApp({
  features: [
    catalogPlugin,
    argocdPlugin,
    crossplanePlugin,
    environmentGraphModule,
    navModule,
    signInModule,
  ],
  bindRoutes({ bind }) {
    // "Create environment" opens the template's form in the scaffolder.
    bind(environmentsPlugin.externalRoutes, {
      scaffolderTemplate: scaffolderPlugin.routes.selectedTemplate,
    });
  },
});
