import Validate from './validate.js';

/** Every command, by id (oclif's explicit command strategy; see package.json `oclif.commands`). */
export const COMMANDS = {
  validate: Validate,
};
