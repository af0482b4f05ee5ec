import type { ObjectFormat } from '../../output/objects.js';

/** `-o` and `--no-headers` of the get commands (src/lib/flags/mesos-flags.ts objectOutputFlags). */
export interface ObjectOutputFlags {
  output: string;
  'no-headers': boolean;
}

export interface ObjectOutput {
  format: ObjectFormat;
  noHeaders: boolean;
}

export function objectOutput(flags: ObjectOutputFlags): ObjectOutput {
  return { format: flags.output as ObjectFormat, noHeaders: flags['no-headers'] };
}
