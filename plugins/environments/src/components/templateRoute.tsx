import type { ComponentType } from 'react';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  legacyScaffolderTemplateRouteRef,
  scaffolderTemplateRouteRef,
} from '../routes';

/** The path of a software template's form, when the app binds the scaffolder template route. */
export type TemplateLink =
  | ((template: { namespace: string; templateName: string }) => string)
  | undefined;

/**
 * A card that links to a template, for both frontend systems: `Card` reads
 * the new system's `scaffolderTemplate` external route, `LegacyCard` the
 * legacy app's `legacyScaffolderTemplateRouteRef` (the new system's hook
 * needs an API legacy apps do not have).
 */
export function withTemplateRoute<P extends object>(
  View: ComponentType<P & { template: TemplateLink }>,
) {
  // props are optional so that a card without props is `() => JSX.Element`
  function Card(props: P = {} as P) {
    return (
      <View {...props} template={useRouteRef(scaffolderTemplateRouteRef)} />
    );
  }
  function LegacyCard(props: P = {} as P) {
    return (
      <View
        {...props}
        template={useLegacyRouteRef(legacyScaffolderTemplateRouteRef)}
      />
    );
  }
  return { Card, LegacyCard };
}
