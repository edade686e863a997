/* eslint-disable no-console */
// Writes templates/create-environment and templates/add-resource from the
// gitops-common offerings. Run: yarn workspace @epicshelter/plugin-scaffolder-backend-module-gitops templates:generate
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  addResourceTemplate,
  createEnvironmentTemplate,
} from '../src/templates/formSchema';

const HEADER =
  '# Generated from @epicshelter/plugin-gitops-common offerings by\n# plugins/scaffolder-backend-module-gitops/scripts/generate-templates.ts — edit that, not this file.\n';

const root = path.resolve(__dirname, '../../../templates');
for (const [dir, template] of [
  ['create-environment', createEnvironmentTemplate()],
  ['add-resource', addResourceTemplate()],
] as const) {
  const file = path.join(root, dir, 'template.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, HEADER + yaml.stringify(template, { lineWidth: 0 }));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
