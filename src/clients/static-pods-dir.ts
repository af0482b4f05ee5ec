import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readManifestInputs, type ManifestInput, type ManifestInputError } from './manifest-files.js';

export interface StaticPodsDirRead {
  inputs: ManifestInput[];
  errors: ManifestInputError[];
  /** Entries the k8sm scheduler skips: empty (0-byte) files. */
  skipped: Array<{ file: string; reason: 'empty' }>;
  /** The folder itself cannot be read (the scheduler would fail to start). */
  fatal?: { kind: 'not-a-directory' } | { kind: 'unreadable'; problem: string };
}

/**
 * Reads a scheduler's `--static-pods-config` folder the way k8sm does (KMF `podutil.ReadFromDir`):
 * every entry of the folder itself (no recursion, any file name, dot files included) that is not a
 * directory and not 0 bytes long is read; symbolic links are followed when read.
 */
export async function readStaticPodsDir(dir: string, maxBytes: number): Promise<StaticPodsDirRead> {
  const out: StaticPodsDirRead = { inputs: [], errors: [], skipped: [] };
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      out.fatal = { kind: 'not-a-directory' };
      return out;
    }
    names = readdirSync(dir).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    out.fatal = { kind: 'unreadable', problem: code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message };
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // vanished between readdir and lstat
    }
    if (st.isDirectory()) continue;
    if (st.size === 0) {
      out.skipped.push({ file: path, reason: 'empty' });
      continue;
    }
    const read = await readManifestInputs([path], { recursive: false, maxBytes });
    out.inputs.push(...read.inputs);
    out.errors.push(...read.errors);
  }
  return out;
}
