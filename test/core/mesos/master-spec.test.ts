import { parseMasterSpec } from '../../../src/core/mesos/master-spec.js';
import { UsageError } from '../../../src/lib/errors.js';

describe('parseMasterSpec', () => {
  it('reads URLs, bare host:port and lists', () => {
    expect(parseMasterSpec('http://127.0.0.1:5050/')).toEqual({ kind: 'urls', urls: ['http://127.0.0.1:5050'] });
    expect(parseMasterSpec('127.0.0.1:5050')).toEqual({ kind: 'urls', urls: ['http://127.0.0.1:5050'] });
    expect(parseMasterSpec('master-1')).toEqual({ kind: 'urls', urls: ['http://master-1:5050'] });
    expect(parseMasterSpec(' m1:5050, https://m2:5443 ,m3:5050,m1:5050 ')).toEqual({
      kind: 'urls',
      urls: ['http://m1:5050', 'https://m2:5443', 'http://m3:5050'],
    });
    expect(parseMasterSpec('https://dcos.example/mesos')).toEqual({ kind: 'urls', urls: ['https://dcos.example/mesos'] });
    expect(parseMasterSpec('[::1]:5050')).toEqual({ kind: 'urls', urls: ['http://[::1]:5050'] });
  });
  it('reads zk:// URLs', () => {
    expect(parseMasterSpec('zk://127.0.0.1:2181,zk2/mesos/')).toEqual({
      kind: 'zk',
      servers: ['127.0.0.1:2181', 'zk2:2181'],
      path: '/mesos',
      url: 'zk://127.0.0.1:2181,zk2:2181/mesos',
    });
    expect(parseMasterSpec('zk://user:pw@zk1:2181/a/b')).toMatchObject({ servers: ['zk1:2181'], path: '/a/b' });
  });
  it.each([
    ['', 'no Mesos master given'],
    ['zk://zk1:2181', 'invalid --mesos-master "zk://zk1:2181": a zk:// URL needs a path'],
    ['zk://zk1:2181/', 'a zk:// URL needs a path'],
    ['m1:5050,zk://zk1/mesos', 'zk:// must be the whole value'],
    ['ftp://m1', 'scheme "ftp" is not supported'],
    ['m1:99999', 'port 99999 is out of range'],
    ['http://u:p@m1:5050', 'credentials in the URL are not accepted'],
    ['bad host:5050', '"bad host:5050" is not host or host:port'],
    [',', 'no master in the list'],
  ])('rejects %j with a usage error', (spec, msg) => {
    let err: unknown;
    try {
      parseMasterSpec(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(msg);
    expect((err as UsageError).outcome).toBe('usage');
  });
});
