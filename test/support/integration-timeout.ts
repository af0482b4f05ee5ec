import { jest } from '@jest/globals';

// Integration tests talk to real servers (etcd, kube-apiserver, dockerd, ZooKeeper) and local HTTP
// servers; on a loaded 2-core machine one test can take longer than jest's 5 s default without being
// stuck. 30 s is the guard against a hang, not a statement about speed (that is bench/'s).
// (testTimeout cannot be set per project in jest.config.js.)
jest.setTimeout(30_000);
