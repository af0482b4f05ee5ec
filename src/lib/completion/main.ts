/**
 * `k8smctl __complete ...` (and `kubectl_complete-k8sm ...`, which kubectl runs for
 * `kubectl k8sm <TAB>`): the launcher hands the words here before oclif is loaded (a bundle entry of
 * its own, dist/completion.js). The commands' metadata comes from oclif.manifest.json, written by
 * the build next to package.json; without it (a development build) from the bundle's COMMANDS.
 * Nothing is printed on stderr and the exit status is 0, whatever happens: a failure is an empty
 * answer with the error directive.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { parseDurationMs } from '../duration.js';
import { completeWords } from './complete.js';
import { DIRECTIVE } from './engine.js';
import { completionTree, type CommandMeta, type CompletionTree } from './tree.js';

interface PackageJson {
  version: string;
  oclif?: { topics?: Record<string, { description?: string }> };
}

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

async function loadTree(root: URL, pkg: PackageJson): Promise<CompletionTree> {
  let commands: Record<string, CommandMeta> | undefined;
  try {
    const manifest = readJson(new URL('oclif.manifest.json', root)) as { version?: string; commands?: Record<string, CommandMeta> };
    if (manifest.version === pkg.version && manifest.commands) commands = manifest.commands;
  } catch {
    // no manifest: a development build
  }
  if (!commands) {
    const bundle = new URL('dist/k8smctl.js', root).href;
    commands = ((await import(bundle)) as { COMMANDS: Record<string, CommandMeta> }).COMMANDS;
  }
  return completionTree(commands, pkg.oclif?.topics ?? {});
}

/**
 * $K8SMCTL_COMPLETION_TIMEOUT (a duration: 10s, 1500ms): how long live completion may take in all,
 * and each request, instead of the defaults (for a slow link to the servers). A value that is not a
 * duration is ignored (and named in the debug file).
 */
export function liveTimeout(env: NodeJS.ProcessEnv, debug?: (line: string) => void): { deadlineMs?: number; requestTimeoutMs?: number } {
  const text = env['K8SMCTL_COMPLETION_TIMEOUT'];
  if (!text) return {};
  try {
    const ms = parseDurationMs(text);
    if (ms > 0) return { deadlineMs: ms, requestTimeoutMs: ms };
  } catch {
    // not a duration
  }
  debug?.(`K8SMCTL_COMPLETION_TIMEOUT=${text} is not a duration (e.g. 10s); using the defaults`);
  return {};
}

/** Answers one completion request on stdout. `root` is the package folder (where package.json is). */
export async function main(args: string[], root: URL, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const debugFile = env['K8SMCTL_COMPLETION_DEBUG'];
  const debug = debugFile
    ? (line: string) => {
        try {
          appendFileSync(debugFile, `${new Date().toISOString()} __complete ${JSON.stringify(args)}: ${line}\n`);
        } catch {
          // nowhere to say it
        }
      }
    : undefined;
  let answer: string;
  try {
    const pkg = readJson(new URL('package.json', root)) as PackageJson;
    const tree = await loadTree(root, pkg);
    answer = await completeWords(tree, args, {
      live: async () => ({ factory: (await import('../factory.js')).processFactory(pkg.version, env), ...liveTimeout(env, debug) }),
      ...(debug ? { debug } : {}),
    });
  } catch (e) {
    debug?.(e instanceof Error ? (e.stack ?? e.message) : String(e));
    answer = `:${DIRECTIVE.error}\n`;
  }
  await new Promise<void>((resolve) => process.stdout.write(answer, () => resolve()));
}
