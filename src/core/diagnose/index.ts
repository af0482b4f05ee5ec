/**
 * `k8smctl diagnose`: why a pod is stuck, agent by agent, with the fix; and what holds the whole
 * cluster back. Pure: a snapshot in, plain data out. The k8sm rules come from src/core/k8sm.
 */
export * from './model.js';
export { diagnosePod, needsDiagnosis } from './pod.js';
export { diagnoseCluster } from './cluster.js';
export { AGENT_REASON_ORDER, headlineGroups, type AgentReason, type AgentReasonId } from './agents.js';
export { agentFree, type AgentFree } from './agent-free.js';
export { formatDuration } from './format.js';
