import { ATTRIBUTE_LABEL_PREFIX, HOSTNAME_LABEL } from './keys.js';

/** A TEXT or SCALAR Mesos agent attribute, as k8sm turns them into Node labels. */
export type AttributeValue = string | number;

/**
 * Go's `strconv.FormatFloat(v, 'G', -1, 64)`, which k8sm uses for SCALAR attribute labels (§1.8):
 * shortest digits, exponent form (`1E+06`) when the exponent is < -4 or >= 6.
 */
export function formatGoFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mant}E${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(v);
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function validLabelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && LABEL_NAME.test(v));
}

/**
 * The labels k8sm writes on an agent's Node (§1.8, KMF `pkg/node`): `kubernetes.io/hostname` plus
 * `k8s.mesosphere.io/attribute-<name>` per TEXT/SCALAR attribute whose key and value are valid labels.
 */
export function nodeLabelsOf(hostname: string, attributes: Readonly<Record<string, AttributeValue>> = {}): Record<string, string> {
  const labels: Record<string, string> = { [HOSTNAME_LABEL]: hostname };
  for (const name in attributes) {
    const raw = attributes[name];
    const value = typeof raw === 'number' ? formatGoFloatG(raw) : String(raw);
    const keyName = `attribute-${name}`;
    if (keyName.length > 63 || !LABEL_NAME.test(keyName) || !validLabelValue(value)) continue;
    labels[ATTRIBUTE_LABEL_PREFIX + name] = value;
  }
  return labels;
}

/** Whether a label key is one k8sm sets on its Nodes (others exist only when added by hand). */
export function isK8smNodeLabel(key: string): boolean {
  return key === HOSTNAME_LABEL || key.startsWith(ATTRIBUTE_LABEL_PREFIX);
}
