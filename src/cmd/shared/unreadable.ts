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

/** What to give or ask for, naming the flag or file to change; undefined: not a refused read. */
function refusalHint(e: ClientError): string | undefined {
  const principal = typeof e.details['principal'] === 'string' ? e.details['principal'] : undefined;
  switch (e.service) {
    case 'mesos-master':
      if (e.kind === 'unauthorized') {
        return e.reason === 'credentials-rejected'
          ? 'check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)'
          : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)';
      }
      if (e.kind === 'forbidden') {
        return principal
          ? `ask the Mesos operators to grant principal "${principal}" read access in the ACLs`
          : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET), or ask the Mesos operators to grant read access in the ACLs';
      }
      return undefined;
    case 'zookeeper':
      return e.kind === 'forbidden' ? 'ZooKeeper ACLs are not supported; pass the master URL as --mesos-master' : undefined;
    case 'kube-apiserver':
      if (e.kind === 'unauthorized') return 'the token or client certificate is wrong or expired; refresh it in the kubeconfig';
      if (e.kind === 'forbidden') return e.details['namespaced'] ? 'ask an admin for RBAC access or use --namespace' : 'ask an admin for RBAC access';
      return undefined;
    default:
      return undefined;
  }
}

/**
 * `e` as the failure of a read the command cannot do without: a 401/403 from the Mesos master, a
 * NO_AUTH from ZooKeeper or a 401/403 from the apiserver becomes an UnreachableError (exit 2) with
 * the same message and a hint; anything else is returned as it is.
 */
export function unreadableIfRefused(e: unknown): unknown {
  if (!(e instanceof ClientError) || (e.kind !== 'unauthorized' && e.kind !== 'forbidden')) return e;
  const hint = refusalHint(e);
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
