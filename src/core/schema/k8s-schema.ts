/**
 * JSON Schema (draft-07) for the parts of Kubernetes objects that k8sm and k8smctl's rules read, and
 * the type mistakes kubectl apply rejects there: object metadata, pod specs (containers, ports,
 * resources, placement), the pod-bearing workloads' specs, and Service specs. Unknown fields are
 * allowed everywhere (this is not the full API schema; it is what decides whether a pod can run).
 *
 * Every constraint carries a `description` that reads as the end of "FIELD must be ...": the
 * findings quote it. The schema is compiled ahead of time into `validators.generated.ts` by
 * `scripts/gen-schema.mjs` (a test fails when that file is out of date).
 */

type Schema = Record<string, unknown>;

/** DNS-1123 label: container names, namespaces, Service port names. */
const DNS_LABEL = '^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** DNS-1123 subdomain: most object names. */
const DNS_SUBDOMAIN = '^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** IANA_SVC_NAME: container port names (what a Service's targetPort can name). */
const IANA_SVC_NAME = '^(?=.{1,15}$)(?=[^a-z]*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$';
/** A non-negative Kubernetes quantity: 500m, 0.5, 2, 64Mi, 1Gi, 128M, 129e6. */
const QUANTITY = '^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$';

const IANA_TEXT = "an IANA service name: at most 15 lowercase letters, digits and '-', with at least one letter, no '--', not starting or ending with '-'";

const d = (description: string, schema: Schema): Schema => ({ description, ...schema });
const str = (description = 'a string'): Schema => d(description, { type: 'string' });
const bool = (): Schema => d('true or false', { type: 'boolean' });
const nonNegInt = (): Schema => d('an integer of 0 or more', { type: 'integer', minimum: 0 });
const int = (min: number, max: number, description = `an integer between ${min} and ${max}`): Schema =>
  d(description, { type: 'integer', minimum: min, maximum: max });
const obj = (description: string, properties: Record<string, Schema>, required?: string[]): Schema =>
  d(description, { type: 'object', properties, ...(required ? { required } : {}) });
const arr = (description: string, items: Schema, minItems?: number): Schema => d(description, { type: 'array', items, ...(minItems ? { minItems } : {}) });
const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` });

const stringMap = (description: string): Schema =>
  d(description, { type: 'object', additionalProperties: str('a string (quote numbers and booleans: "1", "true")') });

const protocol = d('one of TCP, UDP or SCTP (upper case)', { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] });
const quantity = d('a quantity such as 500m, 0.5 or 2 (cpu) or 128Mi, 1Gi or 129e6 (memory)', {
  type: ['string', 'number'],
  pattern: QUANTITY,
  minimum: 0,
});
const quantityMap = d('a mapping of resource names (cpu, memory) to quantities', { type: 'object', additionalProperties: quantity });

const definitions: Record<string, Schema> = {
  objectMeta: obj('a mapping (name, namespace, labels, annotations)', {
    name: d('a lowercase DNS subdomain name (letters, digits, - and ., at most 253 characters, starting and ending with a letter or digit)', {
      type: 'string',
      pattern: DNS_SUBDOMAIN,
    }),
    generateName: str(),
    namespace: d('a lowercase DNS label (letters, digits and -, at most 63 characters, starting and ending with a letter or digit)', {
      type: 'string',
      pattern: DNS_LABEL,
    }),
    labels: stringMap('a mapping of label names to string values'),
    annotations: stringMap('a mapping of annotation names to string values'),
  }),

  containerPort: obj(
    'a mapping with containerPort and optionally hostPort, protocol, name, hostIP',
    {
      containerPort: int(1, 65535),
      hostPort: int(0, 65535, 'an integer between 0 and 65535 (0 or absent: no host port)'),
      protocol,
      name: d(IANA_TEXT, { type: 'string', pattern: IANA_SVC_NAME }),
      hostIP: str('an IP address string'),
    },
    ['containerPort'],
  ),

  container: obj(
    'a mapping with name and image',
    {
      name: d('a lowercase DNS label (letters, digits and -, at most 63 characters, starting and ending with a letter or digit)', {
        type: 'string',
        pattern: DNS_LABEL,
      }),
      image: d('a container image such as nginx:1.25 (not empty, no leading or trailing spaces)', {
        type: 'string',
        pattern: '^\\S(.*\\S)?$',
      }),
      command: arr('a list of strings', str()),
      args: arr('a list of strings', str()),
      env: arr(
        'a list of name/value mappings',
        obj('a mapping with name and value (or valueFrom)', { name: str(), value: str('a string (quote numbers and booleans: "8080", "true")') }, ['name']),
      ),
      ports: arr('a list of container ports', ref('containerPort')),
      resources: obj('a mapping with limits and requests', { limits: quantityMap, requests: quantityMap }),
    },
    ['name', 'image'],
  ),

  podSpec: obj(
    'a pod spec (a mapping with containers)',
    {
      containers: arr('a non-empty list of containers', ref('container'), 1),
      initContainers: arr('a list of containers', ref('container')),
      nodeSelector: stringMap('a mapping of node label names to string values'),
      affinity: d('a mapping', { type: 'object' }),
      tolerations: arr(
        'a list of tolerations',
        obj('a mapping (key, operator, value, effect)', {
          key: str(),
          operator: d('Exists or Equal', { type: 'string', enum: ['Exists', 'Equal'] }),
          value: str(),
          effect: str(),
          tolerationSeconds: d('an integer', { type: 'integer' }),
        }),
      ),
      hostNetwork: bool(),
      restartPolicy: d('one of Always, OnFailure or Never', { type: 'string', enum: ['Always', 'OnFailure', 'Never'] }),
      terminationGracePeriodSeconds: nonNegInt(),
      volumes: arr('a list of volumes', obj('a mapping with a name and a volume source', { name: str() }, ['name'])),
    },
    ['containers'],
  ),

  podTemplateSpec: obj('a pod template (a mapping with metadata and spec)', { metadata: ref('objectMeta'), spec: ref('podSpec') }, ['spec']),

  labelSelector: obj('a label selector (matchLabels and/or matchExpressions)', {
    matchLabels: stringMap('a mapping of label names to string values'),
    matchExpressions: arr(
      'a list of label selector requirements',
      obj('a mapping with key, operator and values', { key: str(), operator: str(), values: arr('a list of strings', str()) }, ['key', 'operator']),
    ),
  }),

  jobSpec: obj(
    'a job spec (a mapping with a pod template)',
    {
      parallelism: nonNegInt(),
      completions: nonNegInt(),
      backoffLimit: nonNegInt(),
      activeDeadlineSeconds: d('an integer of 1 or more', { type: 'integer', minimum: 1 }),
      selector: ref('labelSelector'),
      template: ref('podTemplateSpec'),
    },
    ['template'],
  ),

  servicePort: obj(
    'a mapping with port and optionally targetPort, protocol, name, nodePort',
    {
      port: int(1, 65535),
      targetPort: d(`an integer between 1 and 65535 or a container port's name (${IANA_TEXT})`, {
        type: ['integer', 'string'],
        minimum: 1,
        maximum: 65535,
        pattern: IANA_SVC_NAME,
      }),
      protocol,
      name: d('a lowercase DNS label (letters, digits and -, at most 63 characters)', { type: 'string', pattern: DNS_LABEL }),
      nodePort: int(0, 65535),
    },
    ['port'],
  ),
};

const kind = (description: string, spec: Schema, specRequired = true, extra: Record<string, Schema> = {}): Schema =>
  obj(description, { metadata: ref('objectMeta'), spec, ...extra }, specRequired ? ['spec'] : undefined);

const workloadSpec = (extra: Record<string, Schema>, required: string[] = ['template']): Schema =>
  obj(
    required.includes('selector') ? 'a mapping with a selector and a pod template' : 'a mapping with a pod template',
    { replicas: nonNegInt(), selector: ref('labelSelector'), template: ref('podTemplateSpec'), ...extra },
    required,
  );

/** The top-level schemas, one per validator the generated module exports. */
export const TOP_LEVEL: Record<string, Schema> = {
  Pod: kind('a Pod', ref('podSpec')),
  Workload: kind('a Deployment, ReplicaSet, StatefulSet or DaemonSet', workloadSpec({})),
  // apps/v1 and apps/v1beta2 no longer default the selector from the template's labels: it is required.
  AppsWorkload: kind('a Deployment, ReplicaSet, StatefulSet or DaemonSet (apps/v1)', workloadSpec({}, ['selector', 'template'])),
  ReplicationController: kind(
    'a ReplicationController',
    obj(
      'a mapping with a pod template',
      { replicas: nonNegInt(), selector: stringMap('a mapping of label names to string values'), template: ref('podTemplateSpec') },
      ['template'],
    ),
  ),
  Job: kind('a Job', ref('jobSpec')),
  CronJob: kind(
    'a CronJob',
    obj(
      'a mapping with schedule and jobTemplate',
      {
        schedule: str('a cron schedule string such as "*/15 * * * *"'),
        jobTemplate: obj('a job template (a mapping with spec)', { metadata: ref('objectMeta'), spec: ref('jobSpec') }, ['spec']),
      },
      ['schedule', 'jobTemplate'],
    ),
  ),
  PodTemplate: obj('a PodTemplate', { metadata: ref('objectMeta'), template: ref('podTemplateSpec') }, ['template']),
  Service: kind(
    'a Service',
    obj('a service spec', {
      ports: arr('a list of service ports', ref('servicePort')),
      selector: stringMap('a mapping of label names to string values'),
      type: d('one of ClusterIP, NodePort, LoadBalancer or ExternalName', { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] }),
      clusterIP: str(),
    }),
    false,
  ),
};

/** Which top-level validator checks a kind (whatever its apiVersion); kinds not listed are not checked. */
export const VALIDATOR_FOR_KIND: Readonly<Record<string, string>> = {
  Pod: 'Pod',
  Deployment: 'Workload',
  ReplicaSet: 'Workload',
  StatefulSet: 'Workload',
  DaemonSet: 'Workload',
  ReplicationController: 'ReplicationController',
  Job: 'Job',
  CronJob: 'CronJob',
  ScheduledJob: 'CronJob',
  PodTemplate: 'PodTemplate',
  Service: 'Service',
};

/** API versions whose workloads require spec.selector (earlier ones default it from the template's labels). */
const SELECTOR_REQUIRED = new Set(['apps/v1', 'apps/v1beta2']);

/**
 * The top-level validator for an object of `kind` and `apiVersion`, or undefined when it is not
 * checked. `selectorFilled`: kustomize writes the selector (commonLabels), so it may be left out.
 */
export function validatorFor(kind: string, apiVersion: string, opts: { selectorFilled?: boolean } = {}): string | undefined {
  const top = VALIDATOR_FOR_KIND[kind];
  return top === 'Workload' && SELECTOR_REQUIRED.has(apiVersion) && !opts.selectorFilled ? 'AppsWorkload' : top;
}

/** The whole schema document: top-level schemas and shared definitions (`$id` k8smctl-manifests). */
export const MANIFEST_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'k8smctl-manifests',
  definitions: { ...definitions, ...TOP_LEVEL },
};
