import { bufferIO } from '../../src/lib/io.js';
import { field, formatDescribe, printDescribe, section, table } from '../../src/output/describe.js';

describe('describe', () => {
  test('kubectl describe layout: aligned fields, nested sections, tables, <none>', () => {
    const text = formatDescribe([
      field('Name', 'a1.example.com'),
      field('ID', '20240101-S0'),
      field('Active', true),
      section('Resources', [
        field('CPUs', '1.5 used / 4 total'),
        field('Memory', '1024 used / 8192 total (MB)'),
        section('Reserved', [field('k8sm', '0.5 cpus')]),
      ]),
      table(
        'Ports',
        ['RANGE', 'STATE', 'TASK'],
        [
          ['31000-31004', 'used', 'pod.1234'],
          ['31005-32000', 'free', null],
        ],
      ),
      section('Executors', []),
      table('Tasks', ['ID'], []),
      field('Port Mapping', 'wildcard'),
    ]);
    expect(text).toBe(
      [
        'Name:          a1.example.com',
        'ID:            20240101-S0',
        'Active:        true',
        'Resources:',
        '  CPUs:    1.5 used / 4 total',
        '  Memory:  1024 used / 8192 total (MB)',
        '  Reserved:',
        '    k8sm:  0.5 cpus',
        'Ports:',
        '  RANGE         STATE   TASK',
        '  31000-31004   used    pod.1234',
        '  31005-32000   free    <none>',
        'Executors:     <none>',
        'Tasks:         <none>',
        'Port Mapping:  wildcard',
        '',
      ].join('\n'),
    );
  });

  test('multi-line values continue in the value column', () => {
    expect(
      formatDescribe([field('Flags', ['--work_dir=/var/lib/mesos', '--resources=ports:[31000-32000]']), field('Note', 'first\r\nsecond\n'), field('X', 1)]),
    ).toBe(['Flags:  --work_dir=/var/lib/mesos', '        --resources=ports:[31000-32000]', 'Note:   first', '        second', 'X:      1', ''].join('\n'));
    expect(formatDescribe([field('Flags', [])])).toBe('Flags:  <none>\n');
  });

  test('a long value does not move the value column; a key over 40 columns overflows instead of widening it', () => {
    const longKey = `k8s.mesosphere.io/attribute-${'x'.repeat(40)}`;
    const text = formatDescribe([section('Attributes', [field('rack', 'r1'), field(longKey, 'yes'), field('zone', 'z'.repeat(300))])]);
    expect(text.split('\n')).toEqual(['Attributes:', '  rack:  r1', `  ${longKey}:  yes`, `  zone:  ${'z'.repeat(300)}`, '']);
  });

  test('empty values are <none>; booleans and numbers are printed as text', () => {
    expect(formatDescribe([field('A', ''), field('B', null), field('C', undefined), field('D', false), field('E', 0)])).toBe(
      'A:  <none>\nB:  <none>\nC:  <none>\nD:  false\nE:  0\n',
    );
  });

  test('keys and values from the cluster are sanitized; no trailing spaces', () => {
    const text = formatDescribe([field('Hostname', 'evil\u001b[31m'), section('Attributes', [field('k\ney', 'v\tw')])]);
    expect(text).toBe('Hostname:  evil\\x1b[31m\nAttributes:\n  k\\ney:  v\\tw\n');
    for (const line of formatDescribe([field('A', ' trailing  ')]).split('\n')) expect(line).toBe(line.trimEnd());
  });

  test('printDescribe: several objects separated by a blank line, on stdout', () => {
    const io = bufferIO();
    printDescribe([[field('Name', 'a1')], [field('Name', 'a2')]], io);
    expect(io.stdout()).toBe('Name:  a1\n\nName:  a2\n');
    expect(io.stderr()).toBe('');
  });
});
