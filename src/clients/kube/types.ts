/**
 * Kubernetes objects as the apiserver sends them (the wire JSON `kubectl get -o json` shows), typed
 * for the fields k8smctl reads. Other fields are kept as they came (index signatures), so the
 * objects can be rendered or handed to the manifest rules unchanged.
 */
export interface KubeOwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  ownerReferences?: KubeOwnerReference[];
  [key: string]: unknown;
}

export interface KubeContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

export interface KubeContainer {
  name: string;
  image?: string;
  ports?: KubeContainerPort[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  [key: string]: unknown;
}

export interface KubeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  [key: string]: unknown;
}

export interface KubeContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  containerID?: string;
  image?: string;
  state?: Record<string, { reason?: string; message?: string; startedAt?: string; exitCode?: number } | undefined>;
  [key: string]: unknown;
}

export interface KubePod {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMeta;
  spec: {
    nodeName?: string;
    nodeSelector?: Record<string, string>;
    hostNetwork?: boolean;
    containers: KubeContainer[];
    initContainers?: KubeContainer[];
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    conditions?: KubeCondition[];
    containerStatuses?: KubeContainerStatus[];
    [key: string]: unknown;
  };
}

export interface KubeNode {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMeta;
  spec?: { unschedulable?: boolean; externalID?: string; [key: string]: unknown };
  status?: {
    conditions?: KubeCondition[];
    addresses?: Array<{ type: string; address: string }>;
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    [key: string]: unknown;
  };
}

export interface KubeEvent {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface KubeNamespace {
  metadata: KubeObjectMeta;
  status?: { phase?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** The apiserver's `/version` (what `kubectl version` prints as serverVersion). */
export interface KubeVersionInfo {
  major?: string;
  minor?: string;
  gitVersion: string;
  gitCommit?: string;
  gitTreeState?: string;
  buildDate?: string;
  goVersion?: string;
  compiler?: string;
  platform?: string;
  [key: string]: unknown;
}
