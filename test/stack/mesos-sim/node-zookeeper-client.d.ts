/**
 * node-zookeeper-client ships no types. This shorthand declaration only makes the import resolve;
 * zk.ts describes the part it uses with its own interfaces and casts to them. (A full
 * `declare module` here would clash with the one in src/clients/mesos, which declares the same
 * constants: two ambient declarations of one module merge, and duplicated consts do not.)
 */
declare module 'node-zookeeper-client';
