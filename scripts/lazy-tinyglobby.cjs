// tinyglobby for @oclif/core, loaded on first use (see oclifStartupPatches in scripts/build.mjs).
'use strict';
let real;
const load = () => (real ??= require('tinyglobby'));
module.exports = {
  glob: (...args) => load().glob(...args),
  globSync: (...args) => load().globSync(...args),
  escapePath: (...args) => load().escapePath(...args),
  isDynamicPattern: (...args) => load().isDynamicPattern(...args),
  convertPathToPattern: (...args) => load().convertPathToPattern(...args),
};
