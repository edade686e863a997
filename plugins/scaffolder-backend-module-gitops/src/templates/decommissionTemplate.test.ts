import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import Ajv from 'ajv';

const template = yaml.parse(
  fs.readFileSync(
    path.resolve(
      __dirname,
      '../../../../templates/decommission-environment/template.yaml',
    ),
    'utf8',
  ),
);

function stripUi(node: any): any {
  if (Array.isArray(node)) return node.map(stripUi);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !k.startsWith('ui:') && k !== 'errorMessage')
      .map(([k, v]) => [k, stripUi(v)]),
  );
}

describe('templates/decommission-environment', () => {
  const ajv = new Ajv({ strict: false });
  const confirmPage = ajv.compile(stripUi(template.spec.parameters[1]));

  it.each([
    [{ previewOnly: true }, true],
    [{ previewOnly: false, confirmation: 'team-a-dev' }, true],
    [{ previewOnly: false }, false],
    [{ previewOnly: false, confirmation: 'Team A' }, false],
  ])(
    'the confirmation page accepts %j: %s (typing the name is required to decommission)',
    (values, valid) => {
      expect(confirmPage(values)).toBe(valid);
    },
  );

  it('previews with the decommission action and publishes only when confirmed', () => {
    const steps = template.spec.steps;
    expect(steps.map((s: any) => [s.action, s.if])).toEqual([
      ['epicshelter:environment:decommission', undefined],
      ['epicshelter:gitops:publish', '${{ not parameters.previewOnly }}'],
    ]);
    expect(steps[0].input).toEqual({
      environment: '${{ parameters.environment }}',
      confirmation: '${{ parameters.confirmation }}',
      orphan: '${{ parameters.orphan }}',
      previewOnly: '${{ parameters.previewOnly }}',
    });
    expect(template.spec.output.text).toEqual([
      { title: 'What goes', content: '${{ steps.plan.output.plan }}' },
    ]);
  });
});
