import { formatFieldPath, parseFieldPath } from '../composition/fieldPath';
import type { RenderedResource } from '../composition/patchAndTransform';
import { validateStructural } from '../schema/structural';
import type { CrdRegistry } from '../schema/crdRegistry';
import type { SchemaIssue } from '../schema/types';
import type { ValidationIssue } from '../validateRepository';
import {
  readsCompositeStatus,
  type CompositionRender,
} from './compositionRenders';
import type { RuleContext } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `$.spec.pipeline[s].input.resources[r]` of a rendered template. */
export function templatePath(render: CompositionRender, index: number): string {
  return `$.spec.pipeline[${render.step.stepIndex}].input.resources[${index}]`;
}

/** Short form of parameters for messages: `engine=mysql, size=small`. */
export function describeParameters(parameters: Obj): string {
  const entries = Object.entries(parameters);
  return entries.length === 0
    ? 'no parameters'
    : entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
}

/** The patch of a template that last wrote a field (or its parent), if any. */
function patchWriting(template: Obj, field: string): number | undefined {
  const patches = Array.isArray(template.patches)
    ? (template.patches as Obj[])
    : [];
  let found: number | undefined;
  patches.forEach((p, i) => {
    const to = String(p.toFieldPath ?? p.fromFieldPath ?? '');
    if (
      to &&
      (field === to ||
        field.startsWith(`${to}.`) ||
        field.startsWith(`${to}[`) ||
        to.startsWith(`${field}.`) ||
        to.startsWith(`${field}[`))
    ) {
      found = i;
    }
  });
  return found;
}

/** Results per registry and object content: generated environments repeat the same objects. */
const schemaCaches = new WeakMap<
  CrdRegistry,
  Map<string, SchemaIssue[] | 'no-crd'>
>();

/** Validates one composed object against its vendored CRD (results cached by content). */
export function validateComposedObject(
  context: RuleContext,
  object: Obj,
): SchemaIssue[] | 'no-crd' {
  let schemaCache = schemaCaches.get(context.crds);
  if (!schemaCache) {
    schemaCache = new Map();
    schemaCaches.set(context.crds, schemaCache);
  }
  const key = JSON.stringify(object);
  const cached = schemaCache.get(key);
  if (cached) return cached;
  const crd = context.crds.get(String(object.apiVersion), String(object.kind));
  let result: SchemaIssue[] | 'no-crd';
  if (!crd) {
    result = 'no-crd';
  } else {
    result = validateStructural(object, crd.schema).issues;
    // provider-kubernetes Objects: their manifest must be valid too when its CRD is vendored.
    const manifest =
      isObj(object.spec) && isObj(object.spec.forProvider)
        ? object.spec.forProvider.manifest
        : undefined;
    if (
      isObj(manifest) &&
      context.crds.get(String(manifest.apiVersion), String(manifest.kind))
    ) {
      const inner = validateComposedObject(context, manifest);
      if (inner !== 'no-crd') {
        result = [
          ...result,
          ...inner.map(i => ({
            path: `spec.forProvider.manifest.${i.path}`,
            message: i.message,
          })),
        ];
      }
    }
  }
  if (schemaCache.size > 20000) schemaCache.clear();
  schemaCache.set(key, result);
  return result;
}

/** Issues of one rendered composed resource: no CRD, schema violations, scope. */
export function composedResourceIssues(
  context: RuleContext,
  render: CompositionRender,
  rendered: RenderedResource,
): ValidationIssue[] {
  const { composition } = render;
  const object = rendered.resource;
  const gvk = `${object.apiVersion} ${object.kind}`;
  const template = (render.step.input.resources as Obj[])[rendered.index];
  const base = templatePath(render, rendered.index);
  const where = `Composition ${JSON.stringify(
    composition.name,
  )} resource ${JSON.stringify(rendered.name)} (${gvk})`;
  const issue = (path: string, message: string): ValidationIssue => ({
    file: composition.doc.file,
    documentIndex: composition.doc.documentIndex,
    path,
    message: `${where}: ${message} [with ${describeParameters(
      render.parameters,
    )}]`,
  });
  const result = validateComposedObject(context, object);
  if (result === 'no-crd') {
    return [
      issue(
        `${base}.base`,
        `no CRD serves ${gvk}; vendor it into plugins/gitops-common/crds or fix apiVersion/kind`,
      ),
    ];
  }
  const out: ValidationIssue[] = result.map(i => {
    let path = `${base}.base`;
    try {
      parseFieldPath(i.path);
      const p = patchWriting(template, i.path);
      path =
        p === undefined ? `${base}.base.${i.path}` : `${base}.patches[${p}]`;
    } catch {
      // The field path is not a Crossplane one (e.g. `.`); point at the base.
    }
    return issue(path, `field ${i.path}: ${i.message}`);
  });
  for (const [field, text] of goFormatErrors(object)) {
    const p = patchWriting(template, field);
    out.push(
      issue(
        p === undefined ? `${base}.base.${field}` : `${base}.patches[${p}]`,
        `field ${field}: ${JSON.stringify(
          text,
        )} holds a Go fmt error (a string Format transform or combine whose fmt and arguments do not match, e.g. no %s)`,
      ),
    );
  }
  const crd = context.crds.get(String(object.apiVersion), String(object.kind));
  if (
    crd &&
    crd.scope === 'Cluster' &&
    composition.type &&
    composition.type.scope === 'Namespaced'
  ) {
    out.push(
      issue(
        `${base}.base`,
        `a namespaced composite resource cannot compose the cluster-scoped ${gvk}`,
      ),
    );
  }
  return out;
}

const GO_FMT_ERROR = /%!(\(EXTRA |\(NOVERB\)|[a-zA-Z]\()/;

/** Strings of an object that carry Go's fmt error markers (`%!(EXTRA …)`, `%!s(MISSING)`, `%!d(string=…)`). */
function goFormatErrors(
  value: unknown,
  segments: Array<string | number> = [],
): Array<[string, string]> {
  if (typeof value === 'string') {
    return GO_FMT_ERROR.test(value) ? [[formatFieldPath(segments), value]] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => goFormatErrors(v, [...segments, i]));
  }
  if (isObj(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      goFormatErrors(v, [...segments, k]),
    );
  }
  return [];
}

/** Drops repeated issues (same file, path and message before the parameters). */
export function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter(i => {
    const key = `${i.file}|${i.documentIndex}|${i.path}|${i.message.replace(
      / \[with [^\]]*\]$/,
      '',
    )}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const renderIssueCache = new WeakMap<
  CrdRegistry,
  WeakMap<CompositionRender, ValidationIssue[]>
>();

/** Issues of one render: the failure that fails the XR, or those of each composed resource (cached per render). */
export function renderIssues(
  context: RuleContext,
  render: CompositionRender,
): ValidationIssue[] {
  let cache = renderIssueCache.get(context.crds);
  if (!cache) {
    cache = new WeakMap();
    renderIssueCache.set(context.crds, cache);
  }
  let issues = cache.get(render);
  if (!issues) {
    issues = computeRenderIssues(context, render);
    cache.set(render, issues);
  }
  return issues;
}

function computeRenderIssues(
  context: RuleContext,
  render: CompositionRender,
): ValidationIssue[] {
  const { composition, result } = render;
  if (result.ok) {
    // A later reconcile's render: what does not read the status was checked
    // in the first render already, identical.
    return result.resources
      .filter(r => !render.observed || readsCompositeStatus(render, r.index))
      .flatMap(r => composedResourceIssues(context, render, r));
  }
  const f = result.failure;
  return [
    {
      file: composition.doc.file,
      documentIndex: composition.doc.documentIndex,
      path: `${templatePath(render, f.index)}${
        f.patchIndex >= 0 ? `.patches[${f.patchIndex}]` : ''
      }`,
      message: `Composition ${JSON.stringify(
        composition.name,
      )} resource ${JSON.stringify(f.name)}${
        f.toFieldPath ? ` field ${f.toFieldPath}` : ''
      }: function-patch-and-transform fails the whole composite resource: ${
        f.message
      } [with ${describeParameters(render.parameters)}]`,
    },
  ];
}
