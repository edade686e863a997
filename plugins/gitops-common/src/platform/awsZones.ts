/**
 * Two availability zones per offered AWS region for an EKS cluster's
 * subnets, as zone IDs. Zone names (`eu-west-1a`) map to different physical
 * zones per account, and some names do not exist in every account
 * (`us-west-1b`, `ap-northeast-1b` for new accounts); zone IDs are the same
 * in every account. Each ID here exists in its region and is one EKS accepts
 * for a control plane (EKS refuses use1-az3, usw1-az2 and cac1-az3).
 * Source: AWS documentation, "Availability Zone IDs for your AWS resources"
 * and the Amazon EKS user guide (subnet requirements).
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
  'eu-west-3': ['euw3-az1', 'euw3-az2'],
  'eu-central-1': ['euc1-az1', 'euc1-az2'],
  'eu-north-1': ['eun1-az1', 'eun1-az2'],
  'ap-south-1': ['aps1-az1', 'aps1-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az4'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az2'],
  'ap-southeast-1': ['apse1-az1', 'apse1-az2'],
  'ap-southeast-2': ['apse2-az1', 'apse2-az2'],
  'sa-east-1': ['sae1-az1', 'sae1-az2'],
};
