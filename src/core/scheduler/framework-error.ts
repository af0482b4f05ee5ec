/**
 * What an ERROR event of the master says about the framework id (reference §2.6, Mesos
 * `master.cpp`): "Framework has been removed" (the master's wording; the simulator adds the id) is
 * the answer to a SUBSCRIBE with the id of a framework torn down (`k8smctl delete framework`, a
 * teardown, its failover timeout run out). Such an id can never be used again: a scheduler that keeps
 * it stored would be refused on every start. Any other ERROR ("Framework failed over" when another
 * scheduler took the id, a validation error) leaves the id as it is.
 */
export function frameworkIdRemoved(errorMessage: string): boolean {
  return /\bframework\b.*\bhas been removed\b/i.test(errorMessage);
}
