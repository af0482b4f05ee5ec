/**
 * Progress of `delete orphans` on stderr: a bar redrawn in place on a terminal, one line per
 * container otherwise (logs and CI keep every step).
 */
import type { IOStreams } from '../../lib/io.js';
import type { ActionResult } from './render.js';

const BAR = 24;

export interface Progress {
  done(r: ActionResult): void;
  end(): void;
}

export function actionProgress(io: IOStreams, total: number): Progress {
  let n = 0;
  if (io.errIsTTY) {
    const draw = (last: string) => {
      const fill = total ? Math.round((n / total) * BAR) : BAR;
      io.err.write(`\r\x1b[2K[${'#'.repeat(fill)}${' '.repeat(BAR - fill)}] ${n}/${total} ${last}`);
    };
    draw('');
    return {
      done(r) {
        n++;
        draw(`${r.item.hostname} ${r.item.containerName}: ${r.result}`);
      },
      end() {
        io.err.write('\r\x1b[2K');
      },
    };
  }
  return {
    done(r) {
      n++;
      io.err.write(
        `[${n}/${total}] ${r.item.hostname} ${r.item.containerId.slice(0, 12)} ${r.item.containerName}: ${r.result}${r.detail ? ` (${r.detail})` : ''}\n`,
      );
    },
    end() {},
  };
}
