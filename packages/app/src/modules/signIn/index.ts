import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { signInPage } from './SignInPage';

/** Sign-in for the Epicshelter portal. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
