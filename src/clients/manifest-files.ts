import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { STDIN_NAME } from '../core/manifest/stdin.js';

export { STDIN_NAME };

export interface ManifestInput {
  /** The path as the user gave it, joined with names found in directories; `<stdin>` for `-`. */
  file: string;
  /** Decoded text (UTF-8, or UTF-16 with a byte-order mark); a UTF-8 BOM is left for the parser. */
  text: string;
  /** The bytes were not valid UTF-8: each bad sequence is U+FFFD in `text`. */
  notUtf8?: true;
}

/** Why an input was not read. Facts only: the command layer words them (src/cmd/validate/read-problems.ts). */
export type ReadProblem =
  /** The system refused: ENOENT, EACCES, ELOOP, ENOTDIR, EISDIR, EMFILE... (`message`: the system's words). */
  | { kind: 'errno'; code: string; message: string }
  /** Over the size cap; `sizeIsLowerBound` when counting stopped (an endless stream). */
  | { kind: 'too-large'; size: number; max: number; sizeIsLowerBound: boolean }
  /** A named pipe, socket or device, never opened (it could block forever). `how`: named with -f, found opened, listed in a folder, or behind a link. */
  | { kind: 'not-regular'; what: string; how: 'named' | 'opened' | 'listed' | 'link' }
  /** `-` given again: standard input can be read once. */
  | { kind: 'stdin-twice' }
  /** A symbolic link back to a folder being read. */
  | { kind: 'directory-loop'; target: string }
  /** Reading standard input failed. */
  | { kind: 'stdin-unreadable'; message: string };

export interface ManifestInputError {
  file: string;
  problem: ReadProblem;
}

export interface ReadManifestOptions {
  /** Walk directories recursively (`-R`); otherwise only a directory's own files are read. */
  recursive: boolean;
  /** Files (and standard input) larger than this many bytes are refused (`--max-file-size`). */
  maxBytes: number;
  /** Reads standard input; defaults to process.stdin (holding at most `maxBytes` of it, see `readProcessStdin`). */
  stdin?: () => Promise<Buffer | StdinContent>;
  /**
   * Hands each input over as soon as it is read, instead of collecting them in `inputs` (which then
   * stays empty): a caller that checks files one by one never holds every text at once.
   */
  onInput?: (input: ManifestInput) => void;
}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const KUSTOMIZATION = /^kustomization\.ya?ml$/;

/**
 * Reads what `-f` names: files (any name), directories (their `.yaml`, `.yml` and `.json` files,
 * sorted by name, a `kustomization.yaml` first; subdirectories only with `recursive`, following symlinks, each real directory
 * once, symlink loops reported), and `-` for standard input (once). Every problem is a per-file
 * error and reading goes on: missing or unreadable paths, files over the size cap, named pipes,
 * sockets and devices (never opened: a pipe without a writer would wait forever). Never throws for
 * a bad path.
 *
 * Regular files are read synchronously: for thousands of small files that is several times faster
 * than fs.promises (one thread-pool round trip per open/stat/read/close).
 */
export async function readManifestInputs(filenames: string[], opts: ReadManifestOptions): Promise<{ inputs: ManifestInput[]; errors: ManifestInputError[] }> {
  const inputs: ManifestInput[] = [];
  const errors: ManifestInputError[] = [];
  const reader = new Reader(opts, inputs, errors);
  let stdinRead = false;
  for (const name of filenames) {
    if (name === '-') {
      if (stdinRead) {
        errors.push({ file: STDIN_NAME, problem: { kind: 'stdin-twice' } });
        continue;
      }
      stdinRead = true;
      await reader.readStdin();
      continue;
    }
    if (isNamedPipe(name)) await reader.readPipe(name);
    else reader.readPath(name);
  }
  return { inputs, errors };
}

/** Whether a name given on the command line is a pipe (`-f <(helm template ...)`, a FIFO). */
function isNamedPipe(name: string): boolean {
  try {
    return statSync(name).isFIFO();
  } catch {
    return false; // readPath reports it
  }
}

/**
 * A pipe named on the command line, read to its end as standard input is (at most the cap held):
 * opened without blocking, so a FIFO that no program writes to reads as empty (reported as such)
 * instead of holding the command forever; a pipe whose writer is still working is waited for.
 */
export async function readNamedPipe(path: string, maxBytes: number): Promise<StdinContent> {
  // node:net only here (3-6 ms to load): validate's start-up does not pay for it. Required, not
  // imported: validate's fast bundle runs as a script, where import() has no loader.
  const { Socket } = createRequire(`${process.cwd()}/`)('node:net') as typeof import('node:net');
  const fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  let socket: InstanceType<typeof Socket>;
  let first: Buffer;
  try {
    // One read now: 0 bytes means no program has the pipe open for writing (the system would never
    // wake a reader of such a FIFO); EAGAIN means a writer that has not written yet.
    const buf = Buffer.allocUnsafe(64 * 1024);
    let n = 0;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) {
        closeSync(fd);
        return { data: Buffer.alloc(0), size: 0, sizeIsLowerBound: false };
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
    first = buf.subarray(0, n);
    socket = new Socket({ fd, readable: true, writable: false });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  try {
    return await readProcessStdin(maxBytes, socket, undefined, first);
  } finally {
    socket.destroy();
  }
}

/** Standard input as read: at most the size cap of it is held, but the whole of it is counted. */
export interface StdinContent {
  /** The bytes held (everything, when `size` is within the cap). */
  data: Buffer;
  /** Bytes the input had (a lower bound when `sizeIsLowerBound`). */
  size: number;
  /** The stream did not end before counting stopped (an endless stream such as /dev/zero). */
  sizeIsLowerBound: boolean;
}

/** Decodes file content: UTF-16 with a byte-order mark (as Windows tools write it), else UTF-8. */
/** The input `file` held, decoded, with whether its bytes were valid UTF-8. */
function decodedInput(file: string, buf: Buffer): ManifestInput {
  const text = decodeManifest(buf);
  // On the bytes (a vectorised check): valid UTF-8 may hold U+FFFD itself; UTF-16 is decoded as such.
  if (!isUtf8(buf) && !(buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))))
    return { file, text, notUtf8: true };
  return { file, text };
}

export function decodeManifest(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buf.toString('utf8');
}

function errnoProblem(err: unknown): ReadProblem {
  const e = err as NodeJS.ErrnoException | undefined;
  return { kind: 'errno', code: e?.code ?? 'UNKNOWN', message: e?.message ?? String(err) };
}

/** The error resolving a directory's real path gives (how a folder that cannot be looked up was always worded), if any. */
function realpathError(dir: string): unknown {
  try {
    realpathSync.native(dir);
    return undefined;
  } catch (err) {
    return err;
  }
}

function notRegular(st: Stats): string | undefined {
  if (st.isFIFO()) return 'named pipe';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return undefined;
}

/**
 * Bytes of a file read before its size is asked; the buffer is reused from file to file (each
 * file's text is decoded out of it). An open, a read or two and a close a file, where an fstat and
 * Node's whole-file read (which asks the size again) cost about as much again as the reading.
 */
const FIRST_READ_BYTES = 256 * 1024;
let firstRead: Buffer | undefined;

class Reader {
  /** Directories (device and inode) already read (each is read once) and being read (loops). */
  private readonly visited = new Set<string>();
  private readonly reading = new Set<string>();
  /**
   * Files read (each is one input, read once: `-f a.yaml -f ./a.yaml`, or a file named and also in
   * a folder named), by folder identity and name (see `namedKey`).
   */
  private readonly readFiles = new Set<string>();

  constructor(
    private readonly opts: ReadManifestOptions,
    private readonly inputs: ManifestInput[],
    private readonly errors: ManifestInputError[],
  ) {}

  private emit(input: ManifestInput): void {
    if (this.opts.onInput) this.opts.onInput(input);
    else this.inputs.push(input);
  }

  private error(file: string, problem: ReadProblem): void {
    this.errors.push({ file, problem });
  }

  private tooLarge(file: string, size: number, sizeIsLowerBound = false): void {
    this.error(file, { kind: 'too-large', size, max: this.opts.maxBytes, sizeIsLowerBound });
  }

  readPath(path: string): void {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      this.error(path, errnoProblem(err));
      return;
    }
    if (st.isDirectory()) {
      this.readDirectory(path);
      return;
    }
    const special = notRegular(st);
    if (special) {
      this.error(path, { kind: 'not-regular', what: special, how: 'named' });
      return;
    }
    this.readFile(path, this.namedKey(path));
  }

  /**
   * Reads one regular file with a single open. A file that fits in the first read (FIRST_READ_BYTES,
   * most manifests) is read with no fstat; a larger one is asked its kind and size (the cap) before
   * the rest is read. The end of file is always read to: a file may grow (or /proc files report size
   * 0) while it is read, and the cap still holds.
   */
  private readFile(path: string, key: string): void {
    if (this.readFiles.has(key)) return;
    this.readFiles.add(key);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      this.error(path, errnoProblem(err));
      return;
    }
    try {
      const first = (firstRead ??= Buffer.allocUnsafe(FIRST_READ_BYTES));
      const want = Math.min(first.length, this.opts.maxBytes + 1);
      let length = 0;
      while (length < want) {
        const n = readSync(fd, first, length, want - length, null);
        if (n === 0) break;
        length += n;
      }
      if (length < want) {
        this.emit(decodedInput(path, first.subarray(0, length)));
        return;
      }
      const st = fstatSync(fd);
      const special = notRegular(st);
      if (special) {
        this.error(path, { kind: 'not-regular', what: special, how: 'opened' });
        return;
      }
      if (st.size > this.opts.maxBytes) {
        this.tooLarge(path, st.size);
        return;
      }
      let buf = Buffer.allocUnsafe(Math.max(st.size, length) + 1);
      first.copy(buf, 0, 0, length);
      for (;;) {
        if (length === buf.length) {
          if (length > this.opts.maxBytes) break;
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, this.opts.maxBytes + 1));
          buf.copy(bigger, 0, 0, length);
          buf = bigger;
        }
        const n = readSync(fd, buf, length, buf.length - length, null);
        if (n === 0) break;
        length += n;
      }
      if (length > this.opts.maxBytes) {
        this.tooLarge(path, length);
        return;
      }
      this.emit(decodedInput(path, buf.subarray(0, length)));
    } catch (err) {
      const e = err as NodeJS.ErrnoException | undefined;
      this.error(path, e?.code === 'EISDIR' ? { kind: 'errno', code: 'EISDIR', message: 'is a directory' } : errnoProblem(err));
    } finally {
      closeSync(fd);
    }
  }

  private readDirectory(dir: string): void {
    // A directory is known by its device and inode (one stat, where its real path cost a lookup of
    // every component of the path: ~40 ms over the 685 folders of the real-world corpus); the real
    // path is worked out only to name a loop.
    let id: string;
    try {
      const st = statSync(dir, { bigint: true });
      id = `${st.dev}:${st.ino}`;
    } catch (err) {
      this.error(dir, errnoProblem(realpathError(dir) ?? err));
      return;
    }
    if (this.reading.has(id)) {
      let target: string;
      try {
        target = realpathSync.native(dir);
      } catch (err) {
        this.error(dir, errnoProblem(err));
        return;
      }
      this.error(dir, { kind: 'directory-loop', target });
      return;
    }
    if (this.visited.has(id)) return; // reached again through another link: read once
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      this.error(dir, errnoProblem(err));
      return;
    }
    this.visited.add(id);
    this.reading.add(id);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A folder's kustomization comes first: it says which of the folder's files are patches.
    const k = entries.findIndex((e) => KUSTOMIZATION.test(e.name) && !e.isDirectory());
    if (k > 0) entries.unshift(...entries.splice(k, 1));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isFile()) {
        if (MANIFEST_EXTENSIONS.test(e.name)) this.readFile(path, `${id}/${e.name}`);
      } else if (e.isDirectory()) {
        if (this.opts.recursive) this.readDirectory(path);
      } else if (e.isSymbolicLink()) {
        this.readLink(path, e.name, `${id}/${e.name}`);
      } else if (MANIFEST_EXTENSIONS.test(e.name)) {
        const kind = e.isFIFO() ? 'named pipe' : e.isSocket() ? 'socket' : 'device';
        this.error(path, { kind: 'not-regular', what: kind, how: 'listed' });
      }
    }
    this.reading.delete(id);
  }

  /** A symbolic link found in a directory: followed to a manifest file, or (with -R) to a directory. */
  private readLink(path: string, name: string, key: string): void {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      // A broken link matters when it looks like a manifest; with -R, a link that cannot be
      // resolved for another reason than dangling (a loop, no permission) could be a directory.
      const dangling = (err as NodeJS.ErrnoException)?.code === 'ENOENT';
      if (MANIFEST_EXTENSIONS.test(name) || (this.opts.recursive && !dangling)) this.error(path, errnoProblem(err));
      return;
    }
    if (st.isDirectory()) {
      if (this.opts.recursive) this.readDirectory(path);
      return;
    }
    if (!MANIFEST_EXTENSIONS.test(name)) return;
    const special = notRegular(st);
    if (special) {
      this.error(path, { kind: 'not-regular', what: special, how: 'link' });
      return;
    }
    this.readFile(path, key);
  }

  /**
   * A named file's key in `readFiles`: its folder (device and inode, as `readDirectory` knows
   * folders) and its name, whatever the spelling of the path (`a.yaml`, `./a.yaml`, `d/../a.yaml`,
   * or the folder named too). Files found in a folder get the same key without a stat.
   */
  private namedKey(path: string): string {
    try {
      const st = statSync(dirname(path), { bigint: true });
      return `${st.dev}:${st.ino}/${basename(path)}`;
    } catch {
      return resolve(path);
    }
  }

  async readPipe(path: string): Promise<void> {
    const key = resolve(path);
    if (this.readFiles.has(key)) return;
    this.readFiles.add(key);
    let content: StdinContent;
    try {
      content = await readNamedPipe(path, this.opts.maxBytes);
    } catch (err) {
      this.error(path, errnoProblem(err));
      return;
    }
    if (content.size > this.opts.maxBytes) {
      this.tooLarge(path, content.size, content.sizeIsLowerBound);
      return;
    }
    this.emit(decodedInput(path, content.data));
  }

  async readStdin(): Promise<void> {
    let got: Buffer | StdinContent;
    try {
      got = await (this.opts.stdin ?? (() => readProcessStdin(this.opts.maxBytes)))();
    } catch (err) {
      this.error(STDIN_NAME, { kind: 'stdin-unreadable', message: (err as Error)?.message ?? String(err) });
      return;
    }
    const content: StdinContent = Buffer.isBuffer(got) ? { data: got, size: got.length, sizeIsLowerBound: false } : got;
    if (content.size > this.opts.maxBytes) {
      this.tooLarge(STDIN_NAME, content.size, content.sizeIsLowerBound);
      return;
    }
    this.emit(decodedInput(STDIN_NAME, content.data));
  }
}

/**
 * Reads process.stdin to the end. At most `maxBytes` (and one chunk) of it are held; past the cap
 * the rest is only counted, so that the size-cap error can say how large the input was, up to
 * `countUpTo` bytes (by default 64 times the cap, at least 256 MiB): then reading stops, so that an
 * endless stream (/dev/zero) neither fills memory nor keeps validate waiting.
 */
export function readProcessStdin(
  maxBytes: number,
  stream: NodeJS.ReadableStream = process.stdin,
  countUpTo = Math.max(maxBytes * 64, 256 * 1024 * 1024),
  /** Bytes already read from the stream (by `readNamedPipe`). */
  first?: Buffer,
): Promise<StdinContent> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = first && first.length > 0 ? [first] : [];
    let size = first?.length ?? 0;
    const done = (): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (size <= maxBytes) chunks.push(b);
      size += b.length;
      if (size >= countUpTo) {
        done();
        stream.pause();
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        resolve({ data: Buffer.concat(chunks), size, sizeIsLowerBound: true });
      }
    };
    const onEnd = (): void => {
      done();
      resolve({ data: Buffer.concat(chunks), size, sizeIsLowerBound: false });
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/**
 * A file read again and decoded as `readManifestInputs` decodes it (to locate findings reported after
 * the file was let go); undefined for standard input or when it cannot be read any more.
 */
export function rereadManifest(file: string, maxBytes: number): string | undefined {
  if (file === STDIN_NAME) return undefined;
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    // As the first read: decoded by Node's own UTF-8 reader, and read as bytes again only when it may
    // start with a UTF-16 byte-order mark (read as U+FFFD).
    const text = readFileSync(file, 'utf8');
    return text.charCodeAt(0) === 0xfffd ? decodeManifest(readFileSync(file)) : text;
  } catch {
    return undefined;
  }
}
