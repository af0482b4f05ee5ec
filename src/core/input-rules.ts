import type { Severity } from './finding.js';

export interface InputRuleInfo {
  id: string;
  severity: Severity;
  title: string;
  description: string;
  help: string;
}

/**
 * Findings about the input itself (reading and parsing), reported next to the k8sm rules. Listed
 * here so that every rule id a finding can carry is described (SARIF `tool.driver.rules`, docs).
 */
export const INPUT_RULES: ReadonlyArray<InputRuleInfo> = [
  {
    id: 'input-unreadable',
    severity: 'error',
    title: 'Input cannot be read',
    description:
      'A path given with -f or --static-pods-dir could not be read: it does not exist, is not readable, is larger than --max-file-size, is a symlink loop, or is not a regular file.',
    help: 'Fix the path or its permissions, or raise --max-file-size.',
  },
  {
    id: 'binary-file',
    severity: 'error',
    title: 'Not a text file',
    description: 'The file holds binary data; kubectl cannot read it as a manifest.',
    help: 'Remove it from the input or convert it to UTF-8 YAML or JSON.',
  },
  {
    id: 'helm-template',
    severity: 'error',
    title: 'Helm template, not a manifest',
    description:
      'The file holds Go template actions ({{ ... }}) in its YAML structure or Helm objects (.Values, .Release, include...): it is a Helm chart template. Unrendered, kubectl cannot apply it, and what it happens to parse as says nothing about what Helm renders. Template syntax inside block scalars and quoted strings without Helm objects is data and is not flagged.',
    help: 'Render the chart and check the result: helm template RELEASE CHART | k8smctl validate -f -',
  },
  {
    id: 'kustomize-patch',
    severity: 'info',
    title: 'Kustomize patch, not checked on its own',
    description:
      "A file that a kustomization.yaml of the input names under patches, patchesStrategicMerge or patchesJson6902 is a partial object (or a JSON patch) that kustomize merges into its resources; it is not checked as an object. A kustomization.yaml itself is kustomize's configuration and is skipped.",
    help: 'Check what kustomize builds: kubectl kustomize DIR | k8smctl validate -f -',
  },
  {
    id: 'yaml-syntax',
    severity: 'error',
    title: 'YAML syntax error',
    description:
      'The YAML cannot be parsed, or its bytes are not valid UTF-8 (a Latin-1 character, even in a comment); kubectl apply rejects the whole file. Documents before the error are still checked.',
    help: 'Fix the YAML at the reported line; save the file as UTF-8.',
  },
  {
    id: 'json-syntax',
    severity: 'error',
    title: 'JSON syntax error',
    description: 'The JSON cannot be parsed; kubectl apply rejects the file.',
    help: 'Fix the JSON at the reported line and column.',
  },
  {
    id: 'yaml-aliases',
    severity: 'error',
    title: 'YAML aliases expand too far',
    description: 'Anchors and aliases expand into an enormous document (a "billion laughs" alias bomb); the file is rejected without expanding it.',
    help: 'Remove the nested aliases; ordinary anchors and merges are fine.',
  },
  {
    id: 'not-an-object',
    severity: 'error',
    title: 'Document is not an object',
    description: 'A document is a scalar or a list, not a Kubernetes object.',
    help: 'Each YAML document must be one object with apiVersion, kind and metadata.',
  },
  {
    id: 'missing-kind',
    severity: 'error',
    title: 'Object without kind',
    description: 'The object has no kind; kubectl cannot apply it.',
    help: 'Add kind (and apiVersion).',
  },
  {
    id: 'missing-api-version',
    severity: 'error',
    title: 'Object without apiVersion',
    description: 'The object has no apiVersion; kubectl cannot apply it.',
    help: 'Add apiVersion, e.g. v1 for Pod and Service, apps/v1 for Deployment.',
  },
  {
    id: 'invalid-list',
    severity: 'error',
    title: 'Invalid List',
    description: 'A kind: List (or *List) object whose items is not a list of objects.',
    help: 'items must be a list of Kubernetes objects.',
  },
  {
    id: 'schema',
    severity: 'error',
    title: 'Structural error',
    description:
      'A field has the wrong type or value (containers without name or image, ports outside 1-65535, an unknown protocol, a malformed quantity...); the apiserver rejects the object.',
    help: 'Fix the field as the message says.',
  },
  {
    id: 'object-redefined',
    severity: 'info',
    title: 'Object defined again',
    description:
      'The same object (API group, kind, namespace and name) is defined again later in the input. kubectl apply of the input applies the definitions in order, so the last one wins: it replaces the earlier ones, and Services are matched with it only.',
    help: 'Keep one definition of each object, or check a tree of independent examples file by file with --per-file.',
  },
  {
    id: 'static-pod-file-skipped',
    severity: 'info',
    title: 'Static pod file skipped',
    description: 'The k8sm scheduler skips empty (0-byte) files and directories in its --static-pods-config folder.',
    help: 'Nothing to do, unless the file was meant to hold a static pod.',
  },
];
