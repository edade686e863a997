import { parseDocument } from 'yaml';
import { PROVIDER_REGIONS } from '../offerings';
import { AWS_EKS_UNSUPPORTED_ZONE_IDS, AWS_EKS_ZONE_IDS } from './awsZones';
import { renderPlatform } from '.';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIRECTIONS: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  southeast: 'se',
  northwest: 'nw',
  southwest: 'sw',
};

/** The AZ-ID prefix AWS uses for a region: `ap-northeast-1` → `apne1`. */
function zoneIdPrefix(region: string): string {
  const [area, direction, number] = region.split('-');
  return `${area}${DIRECTIONS[direction]}${number}`;
}

describe('AWS_EKS_ZONE_IDS', () => {
  it('has two distinct zones of the region for every offered AWS region, and no other region', () => {
    expect(Object.keys(AWS_EKS_ZONE_IDS).sort()).toEqual(
      [...PROVIDER_REGIONS.aws].sort(),
    );
    for (const [region, ids] of Object.entries(AWS_EKS_ZONE_IDS)) {
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) {
        expect({ region, id }).toEqual({
          region,
          id: expect.stringMatching(
            new RegExp(`^${zoneIdPrefix(region)}-az\\d+$`),
          ),
        });
        expect(AWS_EKS_UNSUPPORTED_ZONE_IDS).not.toContain(id);
      }
    }
  });

  it('is what the EKS subnets of the bootstrap are placed by', () => {
    const composition = parseDocument(
      renderPlatform()[
        'platform/apis/kubernetes-cluster/composition-aws-bootstrap.yaml'
      ],
    ).toJS() as Obj;
    const subnets = composition.spec.pipeline
      .flatMap((s: Obj) => s.input?.resources ?? [])
      .filter((r: Obj) => r.base.kind === 'Subnet');
    const maps = subnets.map(
      (s: Obj) =>
        s.patches.find(
          (p: Obj) => p.toFieldPath === 'spec.forProvider.availabilityZoneId',
        ).transforms[0].map,
    );
    expect(maps).toEqual(
      [0, 1].map(i =>
        Object.fromEntries(
          Object.entries(AWS_EKS_ZONE_IDS).map(([r, ids]) => [r, ids[i]]),
        ),
      ),
    );
  });
});
