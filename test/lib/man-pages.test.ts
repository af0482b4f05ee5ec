import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { COMMANDS } from '../../src/commands/index.js';
import { k8smctlManPages } from '../../src/lib/man/k8smctl-man.js';
import { roffEscape } from '../../src/lib/man/render-man.js';

const root = new URL('../../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
const pages = k8smctlManPages(COMMANDS, version);

describe('man pages', () => {
  test('man/ holds exactly the pages the commands produce (run `npm run man` after changing a command)', () => {
    const onDisk = readdirSync(new URL('man/', root))
      .filter((f) => f.endsWith('.1'))
      .sort();
    expect(onDisk).toEqual([...pages.keys()].sort());
    for (const [file, text] of pages) {
      expect({ file, text: readFileSync(new URL(`man/${file}`, root), 'utf8') }).toEqual({ file, text });
    }
  });

  test('package.json "man" lists every page: npm install -g links only those where man finds them', () => {
    const { man } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { man?: string[] };
    expect(man).toEqual([...pages.keys()].sort().map((f) => `./man/${f}`));
  });

  test('there is an overview page and one page per command', () => {
    expect(pages.has('k8smctl.1')).toBe(true);
    for (const id of Object.keys(COMMANDS)) expect(pages.has(`k8smctl-${id.replace(/[: ]/g, '-')}.1`)).toBe(true);
  });

  test.each([...pages.keys()])('%s renders with groff without warnings and shows every flag', (file) => {
    // -ww: all warnings; plain text (no overstrike), no hyphenation, long lines so flags stay whole.
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-P-bcou', '-rHY=0', '-rLL=250n', `man/${file}`], { cwd: new URL('.', root), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out).toMatch(/^NAME$/m);
    const id = file.replace(/^k8smctl-?/, '').replace(/\.1$/, '');
    const cmd = (COMMANDS as Record<string, { flags?: Record<string, { hidden?: boolean }> }>)[id];
    const text = out;
    for (const [name, flag] of Object.entries(cmd?.flags ?? {})) if (!flag.hidden) expect(text).toContain(`--${name}`);
  });

  test('roff control characters in help text are escaped', () => {
    expect(roffEscape(".TH evil\n'quote\nback\\slash")).toBe("\\&.TH evil\n\\&'quote\nback\\eslash");
  });
});
