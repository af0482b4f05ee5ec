/**
 * The simulator as a process: `node <bundle> --config sim.json [--control-port N]`.
 *
 * The config file is a SimConfig as JSON; `tls` may name files (`{certFile, keyFile}`) instead of
 * holding PEM text, `auth` may read the secret from a file (`{principal, secretFile}`), `kube` its
 * token and CA (`{server, tokenFile, caFile}`).
 * Once everything listens (and is registered in ZooKeeper) it prints one line of JSON on stdout:
 * `{pid, version, masters: [{index, id, url, host, port, pid}], leaderUrl, agents: [{id, hostname,
 * url, ip, port, pid}], zk?: {connect, path}, controlUrl?}` and stays in the foreground until SIGTERM
 * or SIGINT, then closes everything and exits 0. Errors go to stderr, exit code 1.
 */
import { loadConfigFile } from './config-file.js';
import { startControlServer } from './control.js';
import { startMesosSimulator } from './index.js';

function usage(msg: string): never {
  process.stderr.write(`mesos-sim: ${msg}\nusage: mesos-sim --config <sim.json> [--control-port <port>]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { config: string; controlPort?: number } {
  let config: string | undefined;
  let controlPort: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--config' || a.startsWith('--config=')) config = value();
    else if (a === '--control-port' || a.startsWith('--control-port=')) controlPort = Number(value());
    else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown argument ${a}`);
  }
  if (!config) usage('--config is required');
  if (controlPort !== undefined && !(Number.isInteger(controlPort) && controlPort >= 0 && controlPort < 65536)) usage('bad --control-port');
  return { config, ...(controlPort !== undefined ? { controlPort } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cfg = loadConfigFile(args.config);
  const sim = await startMesosSimulator(cfg);
  const control = args.controlPort !== undefined ? await startControlServer(sim, args.controlPort) : undefined;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      try {
        await control?.close();
        await sim.close();
        process.exit(0);
      } catch (e) {
        process.stderr.write(`mesos-sim: while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const leader = sim.leaderUrl();
  process.stdout.write(
    `${JSON.stringify({
      pid: process.pid,
      version: sim.version,
      masters: sim.masters,
      ...(leader !== undefined ? { leaderUrl: leader } : {}),
      agents: sim.agents,
      ...(cfg.zk ? { zk: cfg.zk } : {}),
      ...(control ? { controlUrl: control.url } : {}),
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`mesos-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
