/**
 * A server that refuses to be read. For the clients a 401 or 403 is a refusal (ClientError kind
 * `unauthorized` / `forbidden`), which `src/lib/outcomes.ts` reports as a failed operation (exit 1).
 * When what was refused is the read a command cannot do without (the master's state, the leader in
 * ZooKeeper, the pods for diagnose), the command has nothing to work on: that is the "unreadable
 * master" / "the cluster cannot be read" of the commands' exit status (2), as for an unreachable
 * server, with what to do about it. Refused operations (a teardown) keep their own exit status.
 */
import { ClientError } from '../../clients/errors.js';
import { UnreachableError } from '../../lib/errors.js';
import { clientHint } from '../../lib/outcomes.js';

/** The servers whose refusal of a read leaves a command nothing to work on. */
const READ_SERVICES = new Set(['mesos-master', 'zookeeper', 'kube-apiserver']);

/**
 * `e` as the failure of a read the command cannot do without: a 401/403 from the Mesos master, a
 * NO_AUTH from ZooKeeper or a 401/403 from the apiserver becomes an UnreachableError (exit 2) with
 * the same message and a hint; anything else is returned as it is.
 */
export function unreadableIfRefused(e: unknown): unknown {
  if (!(e instanceof ClientError) || (e.kind !== 'unauthorized' && e.kind !== 'forbidden') || !READ_SERVICES.has(e.service)) return e;
  // The hint is the one any refusal gets (src/lib/outcomes.ts); only the exit status changes.
  const hint = clientHint(e);
  return hint === undefined ? e : new UnreachableError(e.message, { hint, cause: e });
}

/** Awaits a read the command cannot do without; a refusal fails as an unreadable server (see above). */
export async function essentialRead<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (e) {
    throw unreadableIfRefused(e);
  }
}
