/** A Kubernetes object as read from the API. */
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
    deletionTimestamp?: string;
    resourceVersion?: string;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

/** An XR or claim kind, as declared by an XRD. */
export interface CompositeKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  role: 'composite' | 'claim';
  crossplaneVersion: 'v1' | 'v2';
}

/** A served resource type, from API discovery. */
export interface ServedKind {
  plural: string;
  namespaced: boolean;
}

/** A reference from one object to another (resourceRef, resourceRefs[]). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}
