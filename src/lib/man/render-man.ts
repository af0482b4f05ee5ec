import { compareStrings } from '../../core/compare.js';
/**
 * Man pages rendered from the commands' own oclif metadata (summary, description, flags, args,
 * examples), so that `--help` and `man k8smctl-<command>` can never disagree.
 * `npm run man` writes them to man/; a unit test renders them in memory and fails when man/ is stale.
 */

interface FlagMeta {
  type: 'boolean' | 'option';
  char?: string;
  summary?: string;
  description?: string;
  helpValue?: string | string[];
  options?: readonly string[];
  default?: unknown;
  multiple?: boolean;
  required?: boolean;
  hidden?: boolean;
  allowNo?: boolean;
  helpGroup?: string;
  env?: string;
}

interface ArgMeta {
  description?: string;
  required?: boolean;
  hidden?: boolean;
}

type Example = string | { description: string; command: string };

export interface CommandMeta {
  summary?: string;
  description?: string;
  hidden?: boolean;
  examples?: Example[];
  flags?: Record<string, FlagMeta>;
  baseFlags?: Record<string, FlagMeta>;
  args?: Record<string, ArgMeta>;
  strict?: boolean;
}

export interface ManPageOptions {
  bin: string;
  version: string;
  /** One paragraph about the tool for k8smctl(1). */
  about: string;
  /** Extra sections for k8smctl(1): EXIT STATUS, ENVIRONMENT... as [title, roff body]. */
  sections: Array<[string, string]>;
}

/** Escape text for roff: backslashes, hyphens in words stay readable, leading dots/quotes. */
export function roffEscape(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

const dash = (s: string) => roffEscape(s).replace(/-/g, '\\-');

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.trim() ?? '';
}

function commandSummary(meta: CommandMeta): string {
  return firstLine(meta.summary ?? meta.description);
}

/** Description paragraphs: the description minus the summary line when the summary came from it. */
function descriptionBody(meta: CommandMeta): string {
  const d = (meta.description ?? '').trim();
  if (!meta.summary) return d.split('\n').slice(1).join('\n').trim();
  return d;
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => {
      const lines = p.split('\n');
      // Indented or list-like blocks keep their line breaks.
      if (lines.some((l) => /^\s{2,}|^\s*[-*] /.test(l))) return `.nf\n${roffEscape(p)}\n.fi`;
      return roffEscape(lines.map((l) => l.trim()).join(' '));
    })
    .join('\n.PP\n');
}

function flagDefault(f: FlagMeta): string | undefined {
  if (f.default === undefined || typeof f.default === 'function') return undefined;
  if (f.type === 'boolean' && f.default === false) return undefined;
  if (Array.isArray(f.default)) return f.default.length ? f.default.join(', ') : undefined;
  const d = f.default;
  return typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean' ? String(d) : JSON.stringify(d);
}

function renderFlag(name: string, f: FlagMeta): string {
  const value = f.type === 'option' ? `=\\fI${dash(String(f.helpValue ?? name.toUpperCase()))}\\fR` : '';
  const names = [f.char ? `\\fB\\-${dash(f.char)}\\fR` : '', `\\fB\\-\\-${f.allowNo ? '[no\\-]' : ''}${dash(name)}\\fR${value}`]
    .filter(Boolean)
    .join(', ');
  const text: string[] = [];
  const desc = (f.description ?? f.summary ?? '').trim();
  if (desc) text.push(paragraphs(desc));
  const extra: string[] = [];
  if (f.options?.length) extra.push(`One of: ${f.options.join(', ')}.`);
  const def = flagDefault(f);
  if (def !== undefined) extra.push(`Default: ${def}.`);
  if (f.multiple) extra.push('May be given more than once.');
  if (f.env) extra.push(`Environment: ${f.env}.`);
  if (f.required) extra.push('Required.');
  if (extra.length) text.push(roffEscape(extra.join(' ')));
  return `.TP\n${names}\n${text.join('\n.br\n')}`;
}

function renderExamples(bin: string, id: string, examples: Example[] | undefined): string {
  if (!examples?.length) return '';
  const sub = (s: string) => s.replace(/<%= config\.bin %>/g, bin).replace(/<%= command\.id %>/g, id);
  const body = examples
    .map((e) => {
      if (typeof e === 'string') {
        const lines = sub(e).split('\n');
        const cmd = lines.filter((l) => l.trim().startsWith('$')).map((l) => l.trim());
        const desc = lines.filter((l) => !l.trim().startsWith('$')).join(' ').trim();
        return `${desc ? `${roffEscape(desc)}\n` : ''}.PP\n.RS 4\n.nf\n${roffEscape(cmd.join('\n') || lines.join('\n'))}\n.fi\n.RE`;
      }
      return `${roffEscape(sub(e.description))}\n.PP\n.RS 4\n.nf\n${roffEscape(`$ ${sub(e.command)}`)}\n.fi\n.RE`;
    })
    .join('\n.PP\n');
  return `.SH EXAMPLES\n${body}\n`;
}

function pageName(bin: string, id: string): string {
  return `${bin}-${id.replace(/[: ]/g, '-')}`;
}

function header(name: string, opts: ManPageOptions): string {
  return `.TH ${dash(name.toUpperCase())} 1 "" "${opts.bin} ${opts.version}" "${opts.bin} manual"\n`;
}

function renderCommandPage(id: string, meta: CommandMeta, opts: ManPageOptions): string {
  const name = pageName(opts.bin, id);
  const words = id.replace(/:/g, ' ');
  const args = Object.entries(meta.args ?? {}).filter(([, a]) => !a.hidden);
  const argSyn = args.map(([n, a]) => (a.required ? `\\fI${dash(n.toUpperCase())}\\fR` : `[\\fI${dash(n.toUpperCase())}\\fR]`));
  if (meta.strict === false && args.length) argSyn[argSyn.length - 1] += '...';
  const flags = Object.entries({ ...(meta.flags ?? {}), ...(meta.baseFlags ?? {}) }).filter(([, f]) => !f.hidden);
  const own = flags.filter(([, f]) => f.helpGroup !== 'GLOBAL');
  const global = flags.filter(([, f]) => f.helpGroup === 'GLOBAL');

  let out = header(name, opts);
  out += `.SH NAME\n${dash(name)} \\- ${roffEscape(commandSummary(meta))}\n`;
  out += `.SH SYNOPSIS\n.B ${dash(`${opts.bin} ${words}`)}\n${['[\\fIFLAGS\\fR]', ...argSyn].join(' ')}\n`;
  const body = descriptionBody(meta);
  out += `.SH DESCRIPTION\n${paragraphs(body || commandSummary(meta))}\n`;
  if (args.length) {
    out += `.SH ARGUMENTS\n${args.map(([n, a]) => `.TP\n\\fI${dash(n.toUpperCase())}\\fR\n${roffEscape(a.description ?? '')}`).join('\n')}\n`;
  }
  if (own.length) out += `.SH OPTIONS\n${own.map(([n, f]) => renderFlag(n, f)).join('\n')}\n`;
  if (global.length) out += `.SH GLOBAL OPTIONS\n${global.map(([n, f]) => renderFlag(n, f)).join('\n')}\n`;
  out += renderExamples(opts.bin, words, meta.examples);
  out += `.SH SEE ALSO\n\\fB${dash(opts.bin)}\\fR(1)\n`;
  return out;
}

function renderOverviewPage(commands: Record<string, CommandMeta>, opts: ManPageOptions): string {
  let out = header(opts.bin, opts);
  out += `.SH NAME\n${dash(opts.bin)} \\- ${roffEscape(firstLine(opts.about))}\n`;
  out += `.SH SYNOPSIS\n.B ${dash(opts.bin)}\n\\fICOMMAND\\fR [\\fIFLAGS\\fR]\n.br\n.B ${dash(opts.bin)}\n\\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR\n`;
  out += `.SH DESCRIPTION\n${paragraphs(opts.about.split('\n').slice(1).join('\n').trim() || opts.about)}\n`;
  const visible = Object.entries(commands).filter(([, m]) => !m.hidden).sort(([a], [b]) => compareStrings(a, b));
  out += `.SH COMMANDS\n${visible
    .map(([id, m]) => `.TP\n\\fB${dash(`${opts.bin} ${id.replace(/:/g, ' ')}`)}\\fR\n${roffEscape(commandSummary(m))} See \\fB${dash(pageName(opts.bin, id))}\\fR(1).`)
    .join('\n')}\n`;
  for (const [title, body] of opts.sections) out += `.SH ${title}\n${body}\n`;
  out += `.SH SEE ALSO\n${visible.map(([id]) => `\\fB${dash(pageName(opts.bin, id))}\\fR(1)`).join(', ')}\n`;
  return out;
}

/** All pages: file name -> roff text. */
export function renderManPages(commands: Record<string, CommandMeta>, opts: ManPageOptions): Map<string, string> {
  const pages = new Map<string, string>();
  pages.set(`${opts.bin}.1`, renderOverviewPage(commands, opts));
  for (const [id, meta] of Object.entries(commands)) {
    if (meta.hidden) continue;
    pages.set(`${pageName(opts.bin, id)}.1`, renderCommandPage(id, meta, opts));
  }
  return pages;
}
