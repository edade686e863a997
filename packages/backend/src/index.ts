/*
 * The Epicshelter backend: Backstage's new backend system with the plugins
 * the portal serves. Plugins and modules are added one per line; each line
 * says what it is for.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  searchModuleTechdocsPrebuild,
  techdocsModuleCopyingPreparer,
} from './modules/techdocs';

const backend = createBackend();

// Serves the built frontend (packages/app) and the proxy.
backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: guest by default (app-config.yaml), GitHub in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// Software catalog.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Environments (and their databases, buckets, caches, clusters) from the
// GitOps repository.
backend.add(import('@epicshelter/plugin-catalog-backend-module-gitops'));

// Software templates (the Create page).
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// Epicshelter actions: create environments, add resources, validate, publish.
backend.add(import('@epicshelter/plugin-scaffolder-backend-module-gitops'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// Permissions, with the Epicshelter policy (everyone reads, owners change).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@epicshelter/plugin-permission-backend-module-policy'));

// Search: Postgres engine when the database is Postgres, in-memory otherwise.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Docs search: the techdocs collator indexes built sites; the prebuild
// builds every documented entity's site after start and re-runs it.
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
backend.add(searchModuleTechdocsPrebuild);

// TechDocs: builds sites in the portal with the local mkdocs (see README),
// from a copy of each `dir:` source so the checkout is never rewritten.
backend.add(import('@backstage/plugin-techdocs-backend'));
backend.add(techdocsModuleCopyingPreparer);

// Argo CD: applications, history, resource tree and owner-only actions.
backend.add(import('@epicshelter/plugin-argocd-backend'));

// Crossplane: claim/XR to managed resources, events, desired vs live.
backend.add(import('@epicshelter/plugin-crossplane-backend'));

// Environments: deployments vs Git head, lifecycle, promotion matrix.
backend.add(import('@epicshelter/plugin-environments-backend'));

// Kubernetes.
backend.add(import('@backstage/plugin-kubernetes-backend'));

// User settings, notifications, signals, MCP actions.
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
