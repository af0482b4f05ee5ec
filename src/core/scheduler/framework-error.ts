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

/**
 * A SUBSCRIBE the master refused for good: 401 (credentials missing or rejected), 403 (the principal
 * may not register this framework) or 400 (the framework's settings fail its validation). Mesos' own
 * scheduler library turns these into an ERROR event that ends the scheduler (it retries only 503,
 * 404 and redirects): trying again with the same flags cannot succeed, and a warning every 15 s
 * forever says nothing of what to change. (`reason` as the scheduler client sets it.)
 */
export function subscribeRefusedForGood(reason: string | undefined): boolean {
  return reason === 'credentials-missing' || reason === 'credentials-rejected' || reason === 'subscribe-forbidden' || reason === 'subscribe-refused';
}
