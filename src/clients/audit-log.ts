/**
 * The audit log of the commands that kill things (delete orphans): one JSON object per line,
 * appended, the folder created on first use. A file that cannot be opened is a ClientError of kind
 * `config` (reason `audit-log`) before anything is done; the command says which flag named it.
 */
import { writeSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClientError } from './errors.js';

export class AuditLog {
  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<AuditLog> {
    try {
      await mkdir(dirname(path), { recursive: true });
      return new AuditLog(await open(path, 'a'), path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : code === 'ENOTDIR' || code === 'EEXIST'
              ? 'a parent is not a directory'
              : (code ?? (e as Error).message);
      throw new ClientError({
        kind: 'config',
        reason: 'audit-log',
        message: `cannot open ${path} for appending: ${why}`,
        target: path,
        details: { path, problem: why },
      });
    }
  }

  /** One record, one line; written before the next action starts. */
  async append(record: Readonly<Record<string, unknown>>): Promise<void> {
    try {
      await this.handle.appendFile(`${JSON.stringify(record)}\n`);
    } catch (e) {
      throw new ClientError({
        kind: 'config',
        reason: 'audit-log',
        message: `cannot append to ${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        target: this.path,
      });
    }
  }

  /**
   * One record written synchronously, for the moment a signal arrives: the process may exit before an
   * asynchronous append would run. Best effort: a failure here is ignored (the run is ending anyway).
   */
  appendNow(record: Readonly<Record<string, unknown>>): void {
    try {
      writeSync(this.handle.fd, `${JSON.stringify(record)}\n`);
    } catch {
      /* ending anyway */
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
