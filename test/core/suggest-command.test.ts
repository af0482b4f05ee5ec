import { suggestCommand } from '../../src/core/suggest-command.js';

const known = ['validate', 'get agents', 'get frameworks', 'get tasks', 'describe agent'];

test.each([
  ['validat', 'validate'],
  ['valdiate', 'validate'],
  ['get agent', 'get agents'],
  ['get task', 'get tasks'],
  ['get framework', 'get frameworks'],
  ['describe agents', 'describe agent'],
])('%s -> %s', (typed, want) => expect(suggestCommand(typed, known)).toBe(want));

test.each(['nope', 'delete orphans', 'x'])('nothing close to %s', (typed) => expect(suggestCommand(typed, known)).toBeUndefined());
