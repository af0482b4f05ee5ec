import type { ClusterModel } from '../../../src/core/cluster/cluster-model.js';
import { clusterModelFromSettings } from '../../../src/core/cluster/model-from-settings.js';
import type { ModelSettings } from '../../../src/core/cluster/model-settings.js';

/** The model `validate` builds from its default flags (agents offering [31000-32000]). */
export function defaultModel(over: Partial<ModelSettings> = {}): ClusterModel {
  return clusterModelFromSettings({
    ports: '[31000-32000]',
    hostPortEndpoints: true,
    frameworkRoles: ['*'],
    defaultPodRoles: ['*'],
    executorCpus: 0.25,
    executorMem: 128,
    defaultContainerCpu: 0.25,
    defaultContainerMem: 64,
    ...over,
  });
}
