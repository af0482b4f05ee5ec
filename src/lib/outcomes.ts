/**
 * The one place that turns what happened into what the user sees: a command's typed outcome into
 * its exit code, and any failure (a ClientError from a client, a usage or user error from a
 * command, an oclif parse error) into ONE line on stderr (the facts, then "; " and the hint naming
 * the flag to change) and its exit code. Clients never pick hints or exit codes; commands return
 * outcomes and throw errors, and this module words them.
 *
 * Exit status (README): 0 ok; 1 findings, a refused or failed operation, or a partial result;
 * 2 usage errors, no readable input, or a server that could not be read; 130/143 interrupted.
 */
import { inspect } from 'node:util';
import { ClientError } from '../clients/errors.js';
import { exitCodeOf, EXIT_OK, isOutcome, type Outcome } from './exit-codes.js';
import { programName } from './program.js';

export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, exitCodeOf, type Outcome } from './exit-codes.js';

/** The outcome of a failed client call, by kind. */
function outcomeOfClientError(e: ClientError): Outcome {
  switch (e.kind) {
    case 'unauthorized':
    case 'forbidden':
    case 'not-found':
    case 'conflict':
      return 'failed'; // refused, not unreachable (kubectl exits 1 on Forbidden too)
    case 'config':
      return 'usage';
    case 'aborted':
      return e.details['reason'] === 'SIGTERM' ? 'terminated' : 'interrupted';
    default:
      return 'unreadable';
  }
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** What to do about a client failure, naming the flag or file to change; undefined when there is nothing useful to say. */
export function clientHint(e: ClientError): string | undefined {
  const d = e.details;
  switch (e.service) {
    case 'mesos-master':
    case 'mesos-agent':
      switch (e.kind) {
        case 'tls':
          return e.reason === 'not-https'
            ? 'use an http:// URL in --mesos-master'
            : 'pass --mesos-ca-file with the CA that signed it, or --insecure-skip-tls-verify (insecure)';
        case 'unauthorized':
          return e.reason === 'credentials-rejected'
            ? 'check --mesos-principal and the secret (--mesos-secret-file or $MESOS_SECRET)'
            : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET)';
        case 'forbidden': {
          if (e.reason === 'subscribe-forbidden')
            return typeof d['principal'] === 'string'
              ? `ask the Mesos operators to let principal "${d['principal']}" register frameworks (ACL register_frameworks) with --mesos-framework-roles, or check --mesos-principal`
              : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET), or ask the Mesos operators to allow registering frameworks (ACL register_frameworks)';
          if (e.reason === 'teardown-forbidden')
            return 'ask the Mesos operators to allow this principal to tear down the framework (ACL teardown_frameworks), or pass --mesos-principal';
          const principal = typeof d['principal'] === 'string' ? d['principal'] : undefined;
          return principal
            ? `ask the Mesos operators to grant principal "${principal}" read access in the ACLs`
            : 'pass --mesos-principal with --mesos-secret-file (or $MESOS_SECRET), or ask the Mesos operators to grant read access in the ACLs';
        }
        case 'no-leader':
          return e.reason === 'zk-no-node'
            ? "check the path in --mesos-master (the masters' --zk flag)"
            : e.reason === 'zk-no-leader'
              ? 'check that the masters are running and use this ZooKeeper path (their --zk flag)'
              : e.reason === 'zk-leader-unstable'
                ? 'an election is in progress; retry in a few seconds'
                : 'check that a quorum of masters is running and connected to ZooKeeper, then retry';
        case 'timeout':
          return 'the master is slow or unreachable; check it, or raise --request-timeout';
        case 'server': {
          // A 5xx: the server's own fault. A master read was already retried ("after 3 attempts").
          const who = e.service === 'mesos-agent' ? 'the agent' : list(d['masters']).length > 1 ? 'a master' : 'the master';
          return typeof d['attempts'] === 'number'
            ? `${who} failed on its side; check its logs`
            : `${who} failed on its side; retry, and check its logs if it keeps failing`;
        }
        case 'protocol':
          if (e.reason?.startsWith('redirect')) return 'the masters disagree about the leader (an election in progress?); retry, or name the leader directly';
          if (e.reason === 'no-state-endpoint') return 'is --mesos-master a Mesos master?';
          if (e.reason === 'not-http') return 'is it https? use an https:// URL in --mesos-master';
          return 'is it a Mesos server? (a proxy or load balancer in between can cause this)';
        case 'aborted':
          return undefined;
        case 'rejected':
          if (e.reason === 'subscribe-refused')
            return "the master refused the framework's settings: check what it says against --mesos-framework-roles, --mesos-user, --framework-name and --failover-timeout";
          return 'check --mesos-master (or $MESOS_MASTER) and that the masters are running';
        default:
          return 'check --mesos-master (or $MESOS_MASTER) and that the masters are running';
      }
    case 'zookeeper':
      if (e.reason === 'zk-legacy-only') return 'pass the master URL (http://host:5050) as --mesos-master instead';
      if (e.reason === 'zk-no-auth') return 'ZooKeeper ACLs are not supported; pass the master URL as --mesos-master';
      if (e.kind === 'timeout' || e.kind === 'unreachable') return 'check the zk:// hosts in --mesos-master';
      return undefined;
    case 'kube-apiserver': {
      const cluster = typeof d['cluster'] === 'string' ? d['cluster'] : undefined;
      switch (e.kind) {
        case 'config': {
          const contexts = list(d['contexts']);
          const known = contexts.length ? `contexts: ${contexts.join(', ')}` : 'it has no contexts';
          switch (e.reason) {
            case 'kubeconfig-not-found':
              return d['explicit'] ? 'check the path given with --kubeconfig' : 'pass --kubeconfig, set $KUBECONFIG, or create ~/.kube/config';
            case 'kubeconfig-env-empty':
              return 'fix $KUBECONFIG or pass --kubeconfig';
            case 'no-current-context':
              return `pass --context (${known})`;
            case 'context-not-found':
              return `pick one with --context (${known})`;
            default:
              return undefined;
          }
        }
        case 'tls':
          return `fix certificate-authority of cluster "${cluster ?? '?'}" in the kubeconfig (or set insecure-skip-tls-verify there, insecure)`;
        case 'timeout':
          return 'the apiserver is slow or unreachable; check it, or raise --request-timeout';
        case 'server':
          return 'the apiserver failed on its side; retry, and check its logs if it keeps failing';
        case 'unauthorized':
          return 'the token or client certificate is wrong or expired; refresh it in the kubeconfig';
        case 'forbidden':
          return d['namespaced'] ? 'ask an admin for RBAC access or use --namespace' : 'ask an admin for RBAC access';
        case 'not-found':
          return d['resource'] ? 'check the name, or pass -n/--namespace' : undefined;
        case 'unreachable':
        case 'truncated':
          return cluster ? `check the server of cluster "${cluster}" in the kubeconfig, or pick another --context` : undefined;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

export interface FailureReport {
  /** Lines for stderr: `error: ...` (none for an interruption, a closed pipe or --help), then --debug details. */
  lines: string[];
  exitCode: number;
  outcome: Outcome | 'closed-pipe';
}

interface Failure {
  message?: unknown;
  hint?: unknown;
  outcome?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
  oclif?: { exit?: number };
}

/**
 * The one-line report and exit code of anything a command threw. `commandId` (`get agents`) is
 * named in the help pointer of parse errors; `debug` adds the stack and the cause.
 */
export function describeFailure(err: unknown, ctx: { commandId?: string; debug?: boolean } = {}): FailureReport {
  const e = (err ?? {}) as Failure;
  if (e.code === 'EPIPE') return { lines: [], exitCode: EXIT_OK, outcome: 'closed-pipe' }; // stdout closed early (| head)
  if (e.oclif?.exit === 0) return { lines: [], exitCode: EXIT_OK, outcome: 'ok' }; // --help / --version handled by oclif
  let outcome: Outcome;
  let hint: string | undefined;
  let parseError = false;
  if (err instanceof ClientError) {
    outcome = outcomeOfClientError(err);
    hint = clientHint(err);
  } else if (isOutcome(e.outcome)) {
    outcome = e.outcome; // a UserError of the command layer
    hint = typeof e.hint === 'string' && e.hint ? e.hint : undefined;
  } else if (e.oclif?.exit !== undefined) {
    outcome = 'usage'; // flag or argument parse error
    parseError = true;
  } else {
    outcome = 'failed';
  }
  const code = exitCodeOf(outcome);
  if (outcome === 'interrupted' || outcome === 'terminated') return { lines: [], exitCode: code, outcome };
  let msg = firstLine(typeof e.message === 'string' && e.message ? e.message : String(err));
  if (hint) msg += `; ${hint}`;
  if (parseError) msg += `; see '${programName()} ${ctx.commandId ?? ''} --help'`.replace(/ {2,}/g, ' ');
  const lines = [`error: ${msg}`];
  if (ctx.debug && typeof e.stack === 'string') lines.push(e.stack);
  if (ctx.debug && e.cause) lines.push(`caused by: ${e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : inspect(e.cause)}`);
  return { lines, exitCode: code, outcome };
}

/**
 * One line from a message: its first line. oclif parse errors add "See more help with --help"
 * (dropped), and list several problems under "The following error(s) occurred:" (joined with "; ").
 */
function firstLine(message: string): string {
  const lines = message
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !/^See more help with/i.test(s));
  if (lines.length > 1 && /^The following errors? occurred:?$/i.test(lines[0]!)) return lines.slice(1).join('; ');
  // "Missing 1 required arg:" then "name  Agent hostname, ...": the argument's name, not its help.
  if (lines.length > 1 && lines[0]!.endsWith(':')) return `${lines[0]} ${lines[1]!.split(/\s{2,}/)[0]}`;
  // "Parsing --agents" then "Expected an integer but received: 1.5": the flag and why.
  if (lines.length > 1 && /^Parsing --\S+$/.test(lines[0]!)) return `${lines[0]}: ${lines[1]}`;
  return lines[0] ?? message;
}

/** The one line printed for an error (without the `error: ` prefix), for tests and logs. */
export function oneLine(err: unknown): string {
  return (describeFailure(err).lines[0] ?? '').replace(/^error: /, '');
}
