import {
  chartSecretKeys,
  connectionSecretKeys,
} from '../composition/chartSecrets';
import { parseFieldPath } from '../composition/fieldPath';
import { schemaAt, type SchemaAt } from '../schema/schemaPath';
import type { ValidationIssue } from '../validateRepository';
import { allCompositionRenders } from './compositionRenders';
import { dedupe, describeParameters, templatePath } from './composedIssues';
import type { RepositoryRule } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Connection details read keys that exist: a Composition's
 * `FromConnectionSecretKey` names a key the composed resource's connection
 * secret has, and a provider-helm Release's `connectionDetails` read keys the
 * pinned chart's Secret has (see chartSecrets.ts for the known keys).
 */
export const connectionDetailsRule: RepositoryRule = {
  id: 'connection-details',
  description:
    'Connection details read keys that the composed resource or chart Secret really has',
  check(context) {
    const issues: ValidationIssue[] = [];
    for (const render of allCompositionRenders(context)) {
      if (!render.result.ok) continue;
      const { composition } = render;
      for (const rendered of render.result.resources) {
        const r = rendered.resource;
        const base = templatePath(render, rendered.index);
        const issue = (path: string, message: string) =>
          issues.push({
            file: composition.doc.file,
            documentIndex: composition.doc.documentIndex,
            path,
            message: `Composition ${JSON.stringify(
              composition.name,
            )} resource ${JSON.stringify(rendered.name)} (${r.apiVersion} ${
              r.kind
            }): ${message} [with ${describeParameters(render.parameters)}]`,
          });
        const keys = connectionSecretKeys(r);
        // A ProviderConfig reading the connection secret a sibling writes
        // (the kubeconfig of a composed cluster) reads a key it has.
        const secretRef =
          isObj(r.spec) &&
          isObj(r.spec.credentials) &&
          isObj(r.spec.credentials.secretRef)
            ? r.spec.credentials.secretRef
            : undefined;
        const writer =
          secretRef &&
          render.result.resources.find(o => {
            const to = isObj(o.resource.spec)
              ? o.resource.spec.writeConnectionSecretToRef
              : undefined;
            return (
              isObj(to) &&
              to.name === secretRef.name &&
              (to.namespace === undefined ||
                secretRef.namespace === undefined ||
                to.namespace === secretRef.namespace)
            );
          });
        const writerKeys = writer && connectionSecretKeys(writer.resource);
        if (
          secretRef &&
          writer &&
          writerKeys &&
          !writerKeys.includes(String(secretRef.key))
        ) {
          issue(
            `${base}.base.spec.credentials.secretRef`,
            `field spec.credentials.secretRef.key: the Secret ${JSON.stringify(
              secretRef.name,
            )} is the connection secret of resource ${JSON.stringify(
              writer.name,
            )}, which has no key ${JSON.stringify(
              secretRef.key,
            )} (it has ${writerKeys.map(k => JSON.stringify(k)).join(', ')})`,
          );
        }
        const crd = context.crds.get(String(r.apiVersion), String(r.kind));
        rendered.connectionDetails.forEach((d, i) => {
          // status is not vendored (controllers write it); spec paths are checked.
          if (
            d.type === 'FromFieldPath' &&
            crd &&
            !String(d.fromFieldPath).startsWith('status.')
          ) {
            let at: SchemaAt;
            try {
              at = schemaAt(
                crd.schema,
                parseFieldPath(String(d.fromFieldPath)),
              );
            } catch (e) {
              at = { ok: false, message: (e as Error).message };
            }
            if (!at.ok) {
              issue(
                `${base}.connectionDetails[${i}]`,
                `field connectionDetails[${i}].fromFieldPath: ${at.message}`,
              );
            }
          }
          if (
            d.type === 'FromConnectionSecretKey' &&
            keys &&
            !keys.includes(String(d.fromConnectionSecretKey))
          ) {
            issue(
              `${base}.connectionDetails[${i}]`,
              `field connectionDetails[${i}].fromConnectionSecretKey: the connection secret has no key ${JSON.stringify(
                d.fromConnectionSecretKey,
              )} (it has ${
                keys.map(k => JSON.stringify(k)).join(', ') || 'none'
              })`,
            );
          }
        });
        const spec = isObj(r.spec) ? r.spec : {};
        const forProvider = isObj(spec.forProvider) ? spec.forProvider : {};
        if (
          !/^helm(\.m)?\.crossplane\.io\//.test(String(r.apiVersion)) ||
          !isObj(forProvider.chart)
        )
          continue;
        const values = isObj(forProvider.values) ? forProvider.values : {};
        const chartKeys = chartSecretKeys(forProvider.chart, values);
        if (!chartKeys) continue;
        const chart = `${forProvider.chart.name} ${forProvider.chart.version}`;
        (Array.isArray(spec.connectionDetails)
          ? spec.connectionDetails
          : []
        ).forEach((d, i) => {
          if (!isObj(d) || d.kind !== 'Secret') return;
          const key = /^data\.(.+)$/.exec(String(d.fieldPath))?.[1];
          if (key === undefined || !chartKeys.includes(key)) {
            issue(
              `${base}.base.spec.connectionDetails[${i}]`,
              `field spec.connectionDetails[${i}].fieldPath: ${JSON.stringify(
                d.fieldPath,
              )} reads a key the Secret of chart ${chart} does not have (it has ${chartKeys
                .map(k => `data.${k}`)
                .join(', ')}), so the release never becomes ready`,
            );
          }
          if (
            typeof values.fullnameOverride === 'string' &&
            d.name !== values.fullnameOverride
          ) {
            issue(
              `${base}.base.spec.connectionDetails[${i}]`,
              `field spec.connectionDetails[${i}].name: reads Secret ${JSON.stringify(
                d.name,
              )}, but chart ${chart} names its Secret ${JSON.stringify(
                values.fullnameOverride,
              )}`,
            );
          }
        });
      }
    }
    return dedupe(issues);
  },
};
