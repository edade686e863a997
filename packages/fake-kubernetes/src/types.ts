/**
 * A Kubernetes object as served by the fake.
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A resource type the fake serves (one entry of an APIResourceList).
 * @public
 */
export interface FakeResourceType {
  group: string;
  versions: string[];
  kind: string;
  plural: string;
  namespaced: boolean;
}

/**
 * One request received by the fake.
 * @public
 */
export interface FakeRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Resource plural addressed by the request, when it addressed one. */
  resource?: string;
}
