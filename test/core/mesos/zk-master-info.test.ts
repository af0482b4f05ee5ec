import { decodeMesosIp, masterInfoUrl, parseZkMasterInfo, pickZkLeader } from '../../../src/core/mesos/zk-master-info.js';
import { fixture } from './fixture.js';

describe('ZooKeeper master registration', () => {
  it('picks the lowest json.info_ sequence', () => {
    expect(pickZkLeader(['json.info_0000000012', 'json.info_0000000003', 'log_replicas', 'json.info_0000000007'])).toEqual({
      leader: 'json.info_0000000003',
      legacyOnly: false,
    });
    expect(pickZkLeader([])).toEqual({ legacyOnly: false });
    expect(pickZkLeader(['info_0000000001', 'log_replicas'])).toEqual({ legacyOnly: true });
    expect(pickZkLeader(['info_0000000001', 'json.info_0000000002'])).toEqual({ leader: 'json.info_0000000002', legacyOnly: false });
  });

  it('decodes the uint32 ip as Mesos stores it (network order in memory)', () => {
    expect(decodeMesosIp(16777343)).toBe('127.0.0.1');
    expect(decodeMesosIp(33554442)).toBe('10.0.0.2');
    expect(decodeMesosIp(0xffffffff)).toBe('255.255.255.255');
  });

  it('reads the MasterInfo JSON, preferring the hostname like Mesos redirects do', () => {
    expect(parseZkMasterInfo(fixture('zk-master-info.json'), 'zk node')).toEqual({
      host: 'master-2.example',
      port: 5050,
      id: 'a1b2c3',
      version: '1.11.0',
      pid: 'master@10.0.0.2:5050',
    });
    expect(parseZkMasterInfo({ address: { ip: '10.1.2.3', port: 5050 } }, 'z').host).toBe('10.1.2.3');
    expect(parseZkMasterInfo({ ip: 16777343, port: 5051 }, 'z')).toEqual({ host: '127.0.0.1', port: 5051 });
    expect(parseZkMasterInfo({ pid: 'master@10.9.9.9:5099' }, 'z')).toMatchObject({ host: '10.9.9.9', port: 5099 });
    expect(() => parseZkMasterInfo({ id: 'x' }, 'ZooKeeper node /mesos/json.info_1')).toThrow(
      'unexpected JSON in ZooKeeper node /mesos/json.info_1: has no address.hostname',
    );
    expect(masterInfoUrl({ host: '::1', port: 5050 }, 'https')).toBe('https://[::1]:5050');
  });
});
