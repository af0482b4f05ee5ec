import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { decodeManifest, readManifestInputs, readProcessStdin, rereadManifest, type ManifestInputError } from '../../src/clients/manifest-files.js';
import { describeReadProblem } from '../../src/cmd/validate/read-problems.js';
import { readTextFile } from '../../src/clients/local-files.js';

/** What validate prints for a read error (after the file name). */
const message = (e: Pick<ManifestInputError, 'problem'>): string => describeReadProblem(e.problem);
const withMessages = (errors: ManifestInputError[]) => errors.map((e) => ({ file: e.file, message: message(e) }));

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n';
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'k8smctl-files-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

const rel = (names: Array<{ file: string }>): string[] => names.map((i) => (i.file.startsWith(root) ? i.file.slice(root.length + 1) : i.file));
const read = (names: string[], opts: Partial<Parameters<typeof readManifestInputs>[1]> = {}) =>
  readManifestInputs(names, { recursive: false, maxBytes: 1 << 20, ...opts });

describe('readManifestInputs', () => {
  test('a directory contributes its .yaml, .yml and .json files, sorted, and not its subdirectories without -R', async () => {
    tree({ 'b.yaml': POD, 'A.yml': POD, 'c.json': '{}', 'notes.txt': 'x', README: 'x', 'sub/d.yaml': POD, 'e.YAML': POD });
    const { inputs, errors } = await read([root]);
    expect(errors).toEqual([]);
    expect(rel(inputs)).toEqual(['A.yml', 'b.yaml', 'c.json', 'e.YAML']);
    expect(inputs[1]!.text).toBe(POD);
  });

  test("a folder's kustomization.yaml comes first (it says which files are patches), then the rest in name order", async () => {
    tree({ 'k/a-patch.yaml': POD, 'k/kustomization.yaml': 'resources: [z.yaml]\n', 'k/z.yaml': POD, 'k/sub/kustomization.yml': '{}', 'k/sub/b.yaml': POD });
    const { inputs } = await read([join(root, 'k')], { recursive: true });
    expect(rel(inputs)).toEqual(['k/kustomization.yaml', 'k/a-patch.yaml', 'k/sub/kustomization.yml', 'k/sub/b.yaml', 'k/z.yaml']);
  });

  test('-R walks subdirectories depth-first in name order; order of -f arguments is kept', async () => {
    tree({ 'x/b.yaml': POD, 'x/a/z.yaml': POD, 'x/a/deeper/y.yml': POD, 'x/c/w.json': '{}', 'single.txt': POD });
    const { inputs, errors } = await read([join(root, 'single.txt'), join(root, 'x')], { recursive: true });
    expect(errors).toEqual([]);
    // an explicitly named file is read whatever its name
    expect(rel(inputs)).toEqual(['single.txt', 'x/a/deeper/y.yml', 'x/a/z.yaml', 'x/b.yaml', 'x/c/w.json']);
  });

  test('a file named twice, under other spellings or also through its folder, is one input, read once (under the first name)', async () => {
    tree({ 'd/a.yaml': POD, 'd/b.yaml': POD });
    const a = join(root, 'd', 'a.yaml');
    const { inputs, errors } = await read([a, join(root, 'd', '.', 'a.yaml'), join(root, 'd', '..', 'd', 'a.yaml'), join(root, 'd'), a]);
    expect(errors).toEqual([]);
    expect(rel(inputs)).toEqual(['d/a.yaml', 'd/b.yaml']);
  });

  test('paths are reported as given, joined with the names found', async () => {
    tree({ 'd/a.yaml': POD });
    const { inputs } = await read([`${root}/d/`]);
    expect(inputs.map((i) => i.file)).toEqual([join(root, 'd', 'a.yaml')]);
  });

  test('missing paths and non-directories in the path: one clear error each, the rest is still read', async () => {
    tree({ 'ok.yaml': POD, 'file.yaml': POD });
    const { inputs, errors } = await read([join(root, 'missing.yaml'), join(root, 'ok.yaml'), join(root, 'file.yaml', 'x.yaml')]);
    expect(rel(inputs)).toEqual(['ok.yaml']);
    expect(errors.map((e) => [rel([e])[0], message(e)])).toEqual([
      ['missing.yaml', 'no such file or directory; check the path'],
      ['file.yaml/x.yaml', 'a component of the path is not a directory; check the path'],
    ]);
  });

  test('files over the size cap: refused with the size, the cap and the flag to raise it', async () => {
    tree({ 'big.yaml': `# ${'x'.repeat(3000)}\n`, 'small.yaml': POD });
    const { inputs, errors } = await read([root], { maxBytes: 2048 });
    expect(rel(inputs)).toEqual(['small.yaml']);
    expect(errors).toHaveLength(1);
    expect(rel(errors)[0]).toBe('big.yaml');
    expect(message(errors[0]!)).toBe(
      'is 2.9Ki, larger than the 2Ki limit: not read; if it really is a manifest, raise the limit with --max-file-size (e.g. --max-file-size 5.9Ki)',
    );
  });

  test('files of every size read whole and exactly, one after another: short, at and around the first read (256K), large, multi-byte UTF-8, at the cap', async () => {
    const K = 256 * 1024;
    const sized = (n: number, fill: string): string => `# ${fill.repeat(Math.ceil(n / fill.length)).slice(0, n - 3)}\n`;
    const files: Record<string, string> = {
      'a-large.yaml': sized(3 * K + 17, 'ab'),
      'b-short.yaml': POD,
      'c-at-first-read.yaml': sized(K, 'c'),
      'd-one-more.yaml': sized(K + 1, 'd'),
      'e-one-less.yaml': sized(K - 1, 'e'),
      'f-utf8.yaml': `# ${'\u00e9\u4e2d\u{1f600}'.repeat(70_000)}\n${POD}`,
      'g-empty.yaml': '',
    };
    tree(files);
    const { inputs, errors } = await read([root], { maxBytes: 4 << 20 });
    expect(errors).toEqual([]);
    expect(Object.fromEntries(inputs.map((i) => [rel([i])[0], i.text]))).toEqual(files);
    // the cap, on both sides of the first read: exactly at it is read, a byte over is refused with the file's size
    for (const max of [100, K - 1, K, K + 1, 2 * K]) {
      tree({ 'at.yaml': sized(max, 'x'), 'over.yaml': sized(max + 1, 'y') });
      const got = await read([join(root, 'at.yaml'), join(root, 'over.yaml')], { maxBytes: max });
      expect(got.inputs.map((i) => i.text.length)).toEqual([max]);
      expect(got.errors.map((e) => e.problem)).toEqual([{ kind: 'too-large', size: max + 1, max, sizeIsLowerBound: false }]);
    }
  });

  test('standard input: read once as <stdin>; a second - is an error; stdin over the cap is refused', async () => {
    let calls = 0;
    const stdin = async () => {
      calls++;
      return Buffer.from(POD);
    };
    const { inputs, errors } = await read(['-', '-'], { stdin });
    expect(calls).toBe(1);
    expect(inputs).toEqual([{ file: '<stdin>', text: POD }]);
    expect(withMessages(errors)).toEqual([
      { file: '<stdin>', message: "standard input (-f -) was given more than once; it can be read only once, so give '-f -' once" },
    ]);
    const big = await read(['-'], { stdin: async () => Buffer.alloc(5000, 0x20), maxBytes: 4096 });
    expect(big.inputs).toEqual([]);
    expect(message(big.errors[0]!)).toMatch(/^is 4\.9Ki, larger than the 4Ki limit.*--max-file-size/);
    const failing = await read(['-'], { stdin: async () => Promise.reject(new Error('EPIPE')) });
    expect(withMessages(failing.errors)).toEqual([{ file: '<stdin>', message: 'cannot be read: EPIPE' }]);
  });

  test('reading process stdin holds at most the cap, counts the rest, and stops counting an endless stream', async () => {
    let pushed = 0;
    const endless = new Readable({
      read() {
        pushed++;
        this.push(Buffer.alloc(64 * 1024, 0x61));
      },
    });
    const cut = await readProcessStdin(1 << 20, endless, 8 << 20);
    expect(cut.data.length).toBeGreaterThan(1 << 20);
    expect(cut.data.length).toBeLessThan((1 << 20) + 128 * 1024);
    expect(cut.size).toBe(8 << 20);
    expect(cut.sizeIsLowerBound).toBe(true);
    expect(pushed).toBeLessThan(140); // 8 MiB of 64 KiB chunks, and then it stopped asking
    const small = await readProcessStdin(1 << 20, Readable.from([Buffer.from('a: 1\n'), Buffer.from('b: 2\n')]));
    expect(small).toEqual({ data: Buffer.from('a: 1\nb: 2\n'), size: 10, sizeIsLowerBound: false });
  });

  test('stdin over the cap: the error gives the size of the input, not the size of the cap (issue 12)', async () => {
    const big = Buffer.alloc(3 << 20, 0x20);
    const counted = await read(['-'], {
      maxBytes: 1 << 20,
      stdin: () => readProcessStdin(1 << 20, Readable.from([big.subarray(0, 1 << 19), big.subarray(1 << 19)])),
    });
    expect(counted.inputs).toEqual([]);
    expect(withMessages(counted.errors)).toEqual([
      {
        file: '<stdin>',
        message: 'is 3Mi, larger than the 1Mi limit: not read; if it really is a manifest, raise the limit with --max-file-size (e.g. --max-file-size 6Mi)',
      },
    ]);
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 0x20));
      },
    });
    const stopped = await read(['-'], { maxBytes: 1 << 20, stdin: () => readProcessStdin(1 << 20, endless, 4 << 20) });
    expect(message(stopped.errors[0]!)).toMatch(/^is more than 4Mi \(counting stopped there\), larger than the 1Mi limit: not read/);
  });

  test('symlink loops with -R are reported once and never hang; a directory reached twice is read once', async () => {
    tree({ 'top/a.yaml': POD, 'top/sub/b.yaml': POD, 'elsewhere/c.yaml': POD });
    symlinkSync('..', join(root, 'top', 'sub', 'back')); // top/sub/back -> top
    symlinkSync(join(root, 'elsewhere'), join(root, 'top', 'link1'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'top', 'link2'));
    symlinkSync('self.yaml', join(root, 'top', 'self.yaml')); // a link to itself
    const { inputs, errors } = await read([join(root, 'top')], { recursive: true });
    expect(rel(inputs)).toEqual(['top/a.yaml', 'top/link1/c.yaml', 'top/sub/b.yaml']);
    expect(errors.map((e) => [rel([e])[0], message(e).replace(root, 'ROOT')])).toEqual([
      ['top/self.yaml', 'symbolic link loop (too many levels of symbolic links); fix or remove the link'],
      ['top/sub/back', 'symbolic link loop: leads back to ROOT/top, which is already being read; skipped (remove the link or leave -R off)'],
    ]);
  });

  test('without -R, links to directories are not followed; links to manifest files are read; dangling ones are errors', async () => {
    tree({ 'd/real.yaml': POD, 'other/x.yaml': POD });
    symlinkSync(join(root, 'other'), join(root, 'd', 'dirlink'));
    symlinkSync(join(root, 'other', 'x.yaml'), join(root, 'd', 'link.yaml'));
    symlinkSync(join(root, 'nowhere.yaml'), join(root, 'd', 'dangling.yaml'));
    symlinkSync(join(root, 'nowhere'), join(root, 'd', 'dangling-other'));
    const { inputs, errors } = await read([join(root, 'd')]);
    expect(rel(inputs)).toEqual(['d/link.yaml', 'd/real.yaml']);
    expect(errors.map((e) => [rel([e])[0], message(e)])).toEqual([['d/dangling.yaml', 'no such file or directory; check the path']]);
  });

  test('pipes found in a folder and devices are not opened (a pipe without a writer would block forever); a pipe named with -f is read', async () => {
    tree({ 'd/ok.yaml': POD });
    const mk = spawnSync('mkfifo', [join(root, 'd', 'pipe.yaml'), join(root, 'fifo')]);
    expect(mk.status).toBe(0);
    // named with -f and nobody writing to it: read at once as empty, never waited on
    const { inputs, errors } = await read([join(root, 'd'), join(root, 'fifo'), '/dev/null']);
    expect(inputs.map((i) => [rel([i])[0], i.text])).toEqual([
      ['d/ok.yaml', POD],
      ['fifo', ''],
    ]);
    expect(errors.map((e) => [rel([e])[0], message(e)])).toEqual([
      ['d/pipe.yaml', 'is a named pipe, not a regular file: not read (it could block forever)'],
      ['/dev/null', 'is a character device, not a regular file: not read (it could block forever); to read a stream, pipe it to standard input with -f -'],
    ]);
  });

  test('a pipe named with -f (as `-f <(helm template ...)` names one) is read to its end, also when its writer is slow, and within the cap', async () => {
    const fifo = join(root, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A writer holding the pipe open (read-write, which does not wait for a reader; `ready` once it
    // does), that writes only once told to (`go`: the reader has the pipe open, so nothing written is
    // lost with the writer's exit), slowly, in two parts.
    const writer = (script: string) => {
      const child = spawn('sh', ['-c', `exec 3<>"$0"; echo ready; read go; ${script}`, fifo], { stdio: ['pipe', 'pipe', 'inherit'] });
      const ready = new Promise((resolve) => child.stdout.once('data', resolve));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      return { ready, exited, go: () => child.stdin.end('go\n') };
    };
    const slow = writer(`sleep 0.3; printf 'apiVersion: v1\\n' >&3; sleep 0.2; printf 'kind: Pod\\nmetadata: {name: p}\\n' >&3`);
    await slow.ready;
    const reading = read([fifo]);
    slow.go();
    const { inputs, errors } = await reading;
    expect(errors).toEqual([]);
    expect(inputs.map((i) => [rel([i])[0], i.text])).toEqual([['fifo', POD]]);
    await slow.exited;
    // over the cap: refused with its size, as a file is
    const big = writer('head -c 5000 /dev/zero >&3');
    await big.ready;
    const over = read([fifo], { maxBytes: 2048 });
    big.go();
    expect((await over).inputs).toEqual([]);
    expect((await over).errors.map((e) => e.problem)).toEqual([{ kind: 'too-large', size: 5000, max: 2048, sizeIsLowerBound: false }]);
    await big.exited;
  });

  test('small local files (--cluster-snapshot): a pipe is read, and not waited on when nobody writes to it; a device is refused; the cap holds', async () => {
    const fifo = join(root, 'snap.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(await readTextFile(fifo, 1024)).toBe('');
    const child = spawn('sh', ['-c', 'exec 3<>"$0"; echo ready; read go; sleep 0.2; printf "{}" >&3', fifo], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const text = readTextFile(fifo, 1024);
    // readTextFile opens after a stat: told to write once the pipe is open (its data would go with the writer otherwise)
    setTimeout(() => child.stdin.end('go\n'), 100);
    expect(await text).toBe('{}');
    await expect(readTextFile('/dev/zero', 1024)).rejects.toMatchObject({ reason: 'not-regular', details: { problem: 'is a character device, not a file' } });
    writeFileSync(join(root, 'big.json'), 'x'.repeat(2000));
    await expect(readTextFile(join(root, 'big.json'), 1024)).rejects.toMatchObject({ reason: 'too-large' });
    expect(await readTextFile(join(root, 'big.json'), 2000)).toBe('x'.repeat(2000));
  });

  test('bytes that are not UTF-8 are marked (each bad sequence is U+FFFD in the text); valid UTF-8 holding U+FFFD and UTF-16 are not', async () => {
    writeFileSync(join(root, 'latin1.yaml'), Buffer.from('a: caf\xe9\n', 'latin1'));
    writeFileSync(join(root, 'fffd.yaml'), 'a: caf\ufffd\n');
    writeFileSync(join(root, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: caf\ufffd\n', 'utf16le')]));
    const { inputs } = await read([join(root, 'latin1.yaml'), join(root, 'fffd.yaml'), join(root, 'utf16.yaml')]);
    expect(inputs.map((i) => [rel([i])[0], i.text, i.notUtf8])).toEqual([
      ['latin1.yaml', 'a: caf\ufffd\n', true],
      ['fffd.yaml', 'a: caf\ufffd\n', undefined],
      ['utf16.yaml', 'a: caf\ufffd\n', undefined],
    ]);
  });

  test('UTF-16 files with a byte-order mark (as Windows tools write them) are decoded', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(POD, 'utf16le').swap16()]);
    expect(decodeManifest(le)).toBe(POD);
    expect(decodeManifest(be)).toBe(POD);
    expect(decodeManifest(Buffer.from(`\ufeff${POD}`))).toBe(`\ufeff${POD}`);
    writeFileSync(join(root, 'win.yaml'), le);
    expect((await read([join(root, 'win.yaml')])).inputs[0]!.text).toBe(POD);
  });

  test('a file read again (to locate findings reported at the end) reads as the first read did', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(POD, 'utf16le').swap16()]);
    const files: Record<string, Buffer> = {
      'utf8.yaml': Buffer.from(`${POD}# é ☃ \u{1F600}\n`),
      'bom.yaml': Buffer.from(`\ufeff${POD}`),
      'bad.yaml': Buffer.concat([Buffer.from(POD), Buffer.from([0xc3, 0x28, 0xff])]),
      'starts-bad.yaml': Buffer.concat([Buffer.from([0xff]), Buffer.from(POD)]),
      'le.yaml': le,
      'be.yaml': be,
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(root, name), bytes);
    const { inputs } = await read([root]);
    expect(inputs).toHaveLength(6);
    for (const i of inputs) expect({ file: i.file, text: rereadManifest(i.file, 1 << 20) }).toEqual({ file: i.file, text: i.text });
    expect(rereadManifest(join(root, 'le.yaml'), 1 << 20)).toBe(POD);
    expect(rereadManifest(join(root, 'utf8.yaml'), 10)).toBeUndefined(); // grown past the cap
    expect(rereadManifest(join(root, 'gone.yaml'), 1 << 20)).toBeUndefined();
    expect(rereadManifest(root, 1 << 20)).toBeUndefined();
  });

  test('an empty directory is no inputs and no errors (the caller decides what "nothing to read" means)', async () => {
    mkdirSync(join(root, 'empty'));
    expect(await read([join(root, 'empty')], { recursive: true })).toEqual({ inputs: [], errors: [] });
  });

  test('unreadable files and directories: permission denied, as a user without the permission sees it', async () => {
    tree({ 'locked.yaml': POD, 'closed/x.yaml': POD, 'open.yaml': POD });
    chmodSync(join(root, 'locked.yaml'), 0o000);
    chmodSync(join(root, 'closed'), 0o000);
    const names = [join(root, 'locked.yaml'), join(root, 'closed'), join(root, 'open.yaml')];
    let result: { inputs: Array<{ file: string }>; errors: ManifestInputError[] };
    if (process.getuid?.() !== 0) {
      result = await read(names);
    } else {
      // root reads everything: run the same code as an unprivileged user in a child process
      const src = fileURLToPath(new URL('../../src/clients/manifest-files.ts', import.meta.url));
      const bundle = await build({ entryPoints: [src], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error' });
      const script = join(root, 'run.mjs');
      writeFileSync(
        script,
        `${bundle.outputFiles[0]!.text}\nconst r = await readManifestInputs(${JSON.stringify(names)}, { recursive: false, maxBytes: 1 << 20 });\nprocess.stdout.write(JSON.stringify(r));\n`,
      );
      chmodSync(root, 0o755);
      const child = spawnSync(process.execPath, [script], { uid: 65534, gid: 65534, encoding: 'utf8' });
      expect(child.stderr).toBe('');
      result = JSON.parse(child.stdout);
    }
    expect(rel(result.inputs)).toEqual(['open.yaml']);
    expect(result.errors.map((e) => [rel([e])[0], message(e)])).toEqual([
      ['locked.yaml', 'permission denied; check the file permissions or run as a user who can read it'],
      ['closed', 'permission denied; check the file permissions or run as a user who can read it'],
    ]);
  });
});
