import * as Flags from '@oclif/core/flags';

/** The confirmation flags of the delete commands. */
export const confirmFlags = {
  'dry-run': Flags.boolean({ description: 'Show what would be done, with the proof, and change nothing.' }),
  yes: Flags.boolean({ char: 'y', description: 'Do not ask for confirmation (needed without a terminal).' }),
};
