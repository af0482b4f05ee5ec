import { JsonNode } from './json-node.js';

/**
 * A Mesos master's build, as `k8smctl version` shows it. The master's `/version` endpoint and the
 * top level of its `/state` carry the same fields (`version`, `git_sha`, `git_tag`, `git_branch`,
 * `build_date`, `build_time`, `build_user`); empty strings (e.g. `build_user: ""`) read as absent.
 */
export interface MesosVersionInfo {
  version: string;
  gitSha?: string;
  gitTag?: string;
  gitBranch?: string;
  /** `2020-11-24 06:24:52` as Mesos prints it. */
  buildDate?: string;
  buildUser?: string;
}

/** The build fields of a `/version` answer or of a `/state` document (`source` names it in errors). */
export function parseMesosVersion(json: unknown, source: string): MesosVersionInfo {
  const root = JsonNode.root(json, source);
  const version = root.str('version');
  const out: MesosVersionInfo = { version };
  const opt = (key: string): string | undefined => {
    const v = root.optStr(key);
    return v === undefined || v === '' ? undefined : v;
  };
  const gitSha = opt('git_sha');
  const gitTag = opt('git_tag');
  const gitBranch = opt('git_branch');
  const buildDate = opt('build_date');
  const buildUser = opt('build_user');
  if (gitSha) out.gitSha = gitSha;
  if (gitTag) out.gitTag = gitTag;
  if (gitBranch) out.gitBranch = gitBranch;
  if (buildDate) out.buildDate = buildDate;
  if (buildUser) out.buildUser = buildUser;
  return out;
}
