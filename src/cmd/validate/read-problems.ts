/**
 * What validate says about an input it could not read, and what to do about it (the flag or the
 * command to use). The readers (src/clients/manifest-files.ts, static-pods-dir.ts) report facts.
 */
import type { ReadProblem } from '../../clients/manifest-files.js';
import type { StaticPodsDirRead } from '../../clients/static-pods-dir.js';
import { byteSizeFlagValue, formatByteSize } from '../../lib/byte-size.js';

/** The message of an `input-unreadable` finding, without the file name (printed as `file: message`). */
export function describeReadProblem(p: ReadProblem): string {
  switch (p.kind) {
    case 'errno':
      return errnoText(p.code, p.message);
    case 'too-large': {
      const suggestion = byteSizeFlagValue(Math.max(p.size, p.max) * 2);
      const is = p.sizeIsLowerBound ? `is more than ${formatByteSize(p.size)} (counting stopped there)` : `is ${formatByteSize(p.size)}`;
      return `${is}, larger than the ${formatByteSize(p.max)} limit: not read; if it really is a manifest, raise the limit with --max-file-size (e.g. --max-file-size ${suggestion})`;
    }
    case 'not-regular':
      switch (p.how) {
        case 'named':
          return `is a ${p.what}, not a regular file: not read (it could block forever); to read a stream, pipe it to standard input with -f -`;
        case 'opened':
          return `is a ${p.what}, not a regular file: not read`;
        case 'listed':
          return `is a ${p.what}, not a regular file: not read (it could block forever)`;
        case 'link':
          return `is a link to a ${p.what}, not a regular file: not read (it could block forever)`;
      }
      break;
    case 'stdin-twice':
      return "standard input (-f -) was given more than once; it can be read only once, so give '-f -' once";
    case 'directory-loop':
      return `symbolic link loop: leads back to ${p.target}, which is already being read; skipped (remove the link or leave -R off)`;
    case 'stdin-unreadable':
      return `cannot be read: ${p.message}`;
  }
  return 'cannot be read';
}

function errnoText(code: string, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory; check the path';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; check the file permissions or run as a user who can read it';
    case 'ELOOP':
      return 'symbolic link loop (too many levels of symbolic links); fix or remove the link';
    case 'ENOTDIR':
      return 'a component of the path is not a directory; check the path';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EISDIR':
      return 'is a directory; pass it with -f to read its manifests (-R for subdirectories)';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; raise the limit (ulimit -n) and retry';
    case 'EIO':
      return 'input/output error reading the file';
    default:
      return `cannot be read: ${message}`;
  }
}

/** `--static-pods-dir DIR` that cannot be read at all: the usage error's message. */
export function describeStaticPodsDirProblem(dir: string, fatal: NonNullable<StaticPodsDirRead['fatal']>): string {
  return fatal.kind === 'not-a-directory'
    ? `--static-pods-dir ${dir} is not a directory; give the folder the scheduler reads with --static-pods-config`
    : `--static-pods-dir ${dir} cannot be read (${fatal.problem}); check the path`;
}

/** A file the scheduler skips (`static-pod-file-skipped`). */
export function describeSkippedStaticPodFile(file: string): string {
  return `${file} is empty (0 bytes): the k8sm scheduler skips it; delete it, or put a Pod in it if one was meant to be there`;
}
