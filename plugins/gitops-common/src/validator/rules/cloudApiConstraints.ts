import { AWS_EKS_ZONE_IDS } from '../../platform/awsZones';
import type { ValidationIssue } from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import { dedupe, describeParameters, templatePath } from './composedIssues';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A nested upjet block: an object (namespaced kinds) or a one-element list (legacy kinds). */
function blockOf(v: unknown): Obj {
  if (isObj(v)) return v;
  return Array.isArray(v) && isObj(v[0]) ? v[0] : {};
}
const groupOf = (r: Obj) => String(r.apiVersion).split('/')[0];

/**
 * What the cloud APIs refuse although the CRD accepts it, for one rendered
 * composed resource; each finding is [field, message].
 */
function findings(r: Obj, siblings: Obj[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const spec = isObj(r.spec) ? r.spec : {};
  const fp = isObj(spec.forProvider) ? spec.forProvider : {};
  const group = groupOf(r);
  if (/^ec2\.aws(\.m)?\.upbound\.io$/.test(group) && r.kind === 'Subnet') {
    if (fp.availabilityZone !== undefined) {
      out.push([
        'spec.forProvider.availabilityZone',
        `zone name ${JSON.stringify(
          fp.availabilityZone,
        )}: zone names map to different zones per AWS account and some (us-west-1b, ap-northeast-1b) do not exist in every account; use availabilityZoneId`,
      ]);
    }
    const ids = AWS_EKS_ZONE_IDS[String(fp.region)];
    if (
      fp.availabilityZoneId !== undefined &&
      (!ids || !ids.includes(String(fp.availabilityZoneId)))
    ) {
      out.push([
        'spec.forProvider.availabilityZoneId',
        `${JSON.stringify(
          fp.availabilityZoneId,
        )} is not an EKS zone ID of region ${JSON.stringify(fp.region)}${
          ids ? ` (offered: ${ids.join(', ')})` : ''
        }`,
      ]);
    }
  }
  if (
    /^sql\.gcp(\.m)?\.upbound\.io$/.test(group) &&
    r.kind === 'DatabaseInstance'
  ) {
    const ip = blockOf(blockOf(fp.settings).ipConfiguration);
    const privateNetwork =
      ip.privateNetwork ?? ip.privateNetworkRef ?? ip.privateNetworkSelector;
    if (ip.ipv4Enabled !== true && privateNetwork === undefined) {
      out.push([
        'spec.forProvider.settings.ipConfiguration',
        'ipv4Enabled is not true and no private network is set: GCP refuses a Cloud SQL instance with neither a public nor a private IP',
      ]);
    }
  }
  // A helm or kubernetes ProviderConfig reading a GKE cluster's kubeconfig:
  // GKE issues no client certificate, so it needs an identity.
  const secretRef =
    isObj(spec.credentials) && isObj(spec.credentials.secretRef)
      ? spec.credentials.secretRef
      : undefined;
  if (
    r.kind === 'ProviderConfig' &&
    /^(helm|kubernetes)(\.m)?\.crossplane\.io$/.test(group) &&
    secretRef &&
    !isObj(spec.identity)
  ) {
    const gke = siblings.find(
      o =>
        /^container\.gcp(\.m)?\.upbound\.io$/.test(groupOf(o)) &&
        o.kind === 'Cluster' &&
        isObj(o.spec) &&
        isObj(o.spec.writeConnectionSecretToRef) &&
        o.spec.writeConnectionSecretToRef.name === secretRef.name,
    );
    const certificate = isObj(gke?.spec)
      ? blockOf(
          blockOf(blockOf((gke!.spec as Obj).forProvider as Obj).masterAuth)
            .clientCertificateConfig,
        ).issueClientCertificate
      : undefined;
    if (gke && certificate !== true) {
      out.push([
        'spec.identity',
        'reads the kubeconfig of a GKE cluster, which has no client certificate (GKE disables them by default): set identity (type GoogleApplicationCredentials) so the provider authenticates with a Google service account',
      ]);
    }
  }
  return out;
}

/**
 * Constraints of the cloud APIs that the CRDs do not express: a Cloud SQL
 * instance needs a public or a private IP; EKS subnets name zones by zone ID
 * of their region; ProviderConfigs for a GKE cluster authenticate with a
 * Google identity. Checked on every rendered composed resource.
 */
export const cloudApiConstraintsRule: RepositoryRule = {
  id: 'cloud-api-constraints',
  description:
    'Composed resources satisfy cloud API constraints the CRDs do not express (Cloud SQL IP, EKS zone IDs, GKE credentials)',
  check(context) {
    const issues: ValidationIssue[] = [];
    for (const render of allCompositionRenders(context)) {
      if (!render.result.ok) continue;
      const { composition } = render;
      const siblings = render.result.resources.map(x => x.resource);
      for (const rendered of render.result.resources) {
        const r = rendered.resource;
        for (const [field, message] of findings(r, siblings)) {
          issues.push({
            file: composition.doc.file,
            documentIndex: composition.doc.documentIndex,
            path: templatePath(render, rendered.index),
            message: `Composition ${JSON.stringify(
              composition.name,
            )} resource ${JSON.stringify(rendered.name)} (${r.apiVersion} ${
              r.kind
            }): field ${field}: ${message} [with ${describeParameters(
              render.parameters,
            )}]`,
          });
        }
      }
    }
    return dedupe(issues);
  },
};
