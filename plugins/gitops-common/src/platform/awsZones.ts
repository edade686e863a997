/**
 * Two availability zones per offered AWS region for an EKS cluster's
 * subnets, as zone IDs. Zone names (`eu-west-1a`) map to different physical
 * zones per account, and some names do not exist in every account
 * (`us-west-1b`, `ap-northeast-1b` for new accounts); zone IDs are the same
 * in every account. The subnets need them: the upjet Subnet takes
 * `availabilityZoneId` or `availabilityZone`, nothing that picks a zone by
 * itself, so a table it is.
 *
 * How far each entry is verified (no AWS account or AWS documentation was
 * reachable when this table was checked):
 * - every ID here appears, for its region, in at least two independent
 *   public listings of `aws ec2 describe-availability-zones` output or of
 *   per-region AZ-ID tables in public infrastructure code;
 * - `eu-west-3` uses az1 and az3: az2 is missing from the older of those
 *   listings, az1 and az3 are in all of them;
 * - none is one EKS refuses for a control plane. The IDs EKS refuses are
 *   taken from eksctl's `zoneIDsToAvoid` (pkg/az/az.go, as quoted from
 *   eksctl-io/eksctl commit f4d4076 in public scripts): use1-az3, usw1-az2,
 *   cac1-az3 (and cnn1-az4, a region not offered).
 * Not verified: that every ID is open to new accounts today (AWS closes
 * zones to new customers now and then, as it did apne1-az3). If a cluster
 * cannot be created in a zone, change the entry here and run
 * `yarn gitops platform`.
 */
export const AWS_EKS_ZONE_IDS: Readonly<
  Record<string, readonly [string, string]>
> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'us-east-2': ['use2-az1', 'use2-az2'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'us-west-2': ['usw2-az1', 'usw2-az2'],
  'ca-central-1': ['cac1-az1', 'cac1-az2'],
  'eu-west-1': ['euw1-az1', 'euw1-az2'],
  'eu-west-2': ['euw2-az1', 'euw2-az2'],
  'eu-west-3': ['euw3-az1', 'euw3-az3'],
  'eu-central-1': ['euc1-az1', 'euc1-az2'],
  'eu-north-1': ['eun1-az1', 'eun1-az2'],
  'ap-south-1': ['aps1-az1', 'aps1-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az4'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az2'],
  'ap-southeast-1': ['apse1-az1', 'apse1-az2'],
  'ap-southeast-2': ['apse2-az1', 'apse2-az2'],
  'sa-east-1': ['sae1-az1', 'sae1-az2'],
};

/** Zone IDs in which EKS creates no control plane (see above). */
export const AWS_EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = [
  'use1-az3',
  'usw1-az2',
  'cac1-az3',
];
