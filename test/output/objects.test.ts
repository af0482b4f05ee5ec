import { parse as parseYAML } from 'yaml';
import { bufferIO } from '../../src/lib/io.js';
import { formatObjects, printObjects, type TableSpec } from '../../src/output/objects.js';
import { formatTable } from '../../src/output/table.js';

interface Agent {
  hostname: string;
  id: string;
  cpus: string;
  freePorts: string;
  attributes: Record<string, string>;
  k8smExecutor: boolean;
}

const spec: TableSpec<Agent> = {
  columns: [
    { header: 'Hostname', value: (a) => a.hostname },
    { header: 'cpus', value: (a) => a.cpus },
    { header: 'Free Ports', value: (a) => a.freePorts },
    { header: 'ID', value: (a) => a.id, wide: true },
    {
      header: 'Attributes',
      value: (a) =>
        Object.entries(a.attributes)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      wide: true,
    },
    { header: 'K8sm', value: (a) => a.k8smExecutor },
  ],
  name: (a) => `agent/${a.hostname}`,
  toJSON: (a) => ({ hostname: a.hostname, id: a.id, attributes: a.attributes }),
};

const agents: Agent[] = [
  { hostname: 'a1.example.com', id: '20240101-S0', cpus: '1.5/4', freePorts: '[31000-31099, 31101-32000]', attributes: { rack: 'r1' }, k8smExecutor: true },
  { hostname: 'b', id: '20240101-S1', cpus: '10/16', freePorts: '', attributes: {}, k8smExecutor: false },
];

describe('get -o table|wide', () => {
  test('kubectl style: UPPERCASE headers, left-aligned columns three spaces apart, <none> for empty', async () => {
    const { out, err } = await formatObjects(agents, spec, 'table');
    expect(out).toBe(
      [
        'HOSTNAME         CPUS    FREE PORTS                   K8SM',
        'a1.example.com   1.5/4   [31000-31099, 31101-32000]   true',
        'b                10/16   <none>                       false',
        '',
      ].join('\n'),
    );
    expect(err).toBe('');
  });

  test('wide adds the wide columns where they are declared', async () => {
    const { out } = await formatObjects(agents, spec, 'wide');
    expect(out).toBe(
      [
        'HOSTNAME         CPUS    FREE PORTS                   ID            ATTRIBUTES   K8SM',
        'a1.example.com   1.5/4   [31000-31099, 31101-32000]   20240101-S0   rack=r1      true',
        'b                10/16   <none>                       20240101-S1   <none>       false',
        '',
      ].join('\n'),
    );
  });

  test('--no-headers prints the rows only, aligned the same way', async () => {
    const { out } = await formatObjects(agents, spec, 'table', { noHeaders: true });
    expect(out).toBe(
      ['a1.example.com   1.5/4   [31000-31099, 31101-32000]   true', 'b                10/16   <none>                       false', ''].join('\n'),
    );
  });

  test('a very long value widens its column but every column still starts at the same offset in every row', async () => {
    const long = { ...agents[1]!, hostname: `very-long-hostname-${'x'.repeat(80)}.example.com` };
    const { out } = await formatObjects([agents[0]!, long], spec, 'wide');
    const lines = out.trimEnd().split('\n');
    const starts = (line: string) => [...line.matchAll(/(?:^|\s{3})(\S)/g)].map((m) => m.index + m[0].length - 1);
    const header = starts(lines[0]!);
    expect(header).toHaveLength(6);
    for (const line of lines.slice(1)) expect(starts(line)).toEqual(header);
  });

  test('no trailing spaces on any line', async () => {
    const { out } = await formatObjects(agents, spec, 'wide');
    for (const line of out.split('\n')) expect(line).toBe(line.trimEnd());
  });

  test('control characters in a value cannot break a row or reach the terminal', async () => {
    const evil = { ...agents[1]!, hostname: 'evil\n\u001b[2Jhost' };
    const { out } = await formatObjects([evil], spec, 'table', { noHeaders: true });
    expect(out).toBe('evil\\n\\x1b[2Jhost   10/16   <none>   false\n');
  });

  test('wide characters are measured by their display width', () => {
    expect(
      formatTable(
        [
          ['日本', 'x'],
          ['abcd', 'y'],
        ],
        { headers: ['NAME', 'V'] },
      ),
    ).toBe('NAME   V\n日本   x\nabcd   y\n');
  });

  test('right-aligned columns (header too)', () => {
    expect(
      formatTable(
        [
          ['a', 5],
          ['b', 1234],
        ],
        { headers: ['NAME', 'TASKS'], align: [undefined, 'right'] },
      ),
    ).toBe('NAME   TASKS\na          5\nb       1234\n');
  });

  test('numbers, booleans, null and undefined cells', () => {
    expect(formatTable([[0, false, null, undefined, '']])).toBe('0   false   <none>   <none>   <none>\n');
  });
});

describe('get -o name|json|yaml', () => {
  test('name: kind/name per line', async () => {
    expect((await formatObjects(agents, spec, 'name')).out).toBe('agent/a1.example.com\nagent/b\n');
  });

  test('json: a kubectl-style List of toJSON(item), 2-space indent, trailing newline', async () => {
    const { out } = await formatObjects(agents, spec, 'json');
    expect(out).toBe(
      `{
  "kind": "List",
  "items": [
    {
      "hostname": "a1.example.com",
      "id": "20240101-S0",
      "attributes": {
        "rack": "r1"
      }
    },
    {
      "hostname": "b",
      "id": "20240101-S1",
      "attributes": {}
    }
  ]
}
`,
    );
  });

  test('yaml: the same List', async () => {
    const { out } = await formatObjects(agents, spec, 'yaml');
    expect(out.startsWith('kind: List\nitems:\n  - hostname: a1.example.com\n')).toBe(true);
    expect(parseYAML(out)).toEqual(JSON.parse((await formatObjects(agents, spec, 'json')).out));
  });

  test('single: the named object itself, not a List', async () => {
    const { out } = await formatObjects([agents[1]!], spec, 'json', { single: true });
    expect(JSON.parse(out)).toEqual({ hostname: 'b', id: '20240101-S1', attributes: {} });
    expect(parseYAML((await formatObjects([agents[1]!], spec, 'yaml', { single: true })).out)).toEqual(JSON.parse(out));
  });

  test('yaml carries exactly the data json does: undefined fields dropped, toJSON honoured', async () => {
    const odd: TableSpec<{ n: number }> = {
      columns: [{ header: 'N', value: (x) => x.n }],
      name: (x) => `n/${x.n}`,
      toJSON: (x) => ({ count: x.n, missing: undefined, when: new Date(Date.UTC(2024, 0, 2)) }),
    };
    expect((await formatObjects([{ n: 1 }], odd, 'yaml')).out).toBe("kind: List\nitems:\n  - count: 1\n    when: '2024-01-02T00:00:00.000Z'\n");
  });

  test('an object shared between items is written out in full in YAML, never as an alias', async () => {
    const shared = { rack: 'r1' };
    const twins = [
      { ...agents[0]!, attributes: shared },
      { ...agents[1]!, attributes: shared },
    ];
    const { out } = await formatObjects(twins, spec, 'yaml');
    expect(out).not.toMatch(/[&*]a\d/);
    expect(parseYAML(out).items[1].attributes).toEqual({ rack: 'r1' });
  });
});

describe('nothing found', () => {
  test.each(['table', 'wide', 'name'] as const)('%s: "No resources found." on stderr, nothing on stdout', async (format) => {
    const io = bufferIO();
    await printObjects([], spec, format, io);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toBe('No resources found.\n');
  });

  test('the message can be more precise', async () => {
    const io = bufferIO();
    await printObjects([], spec, 'table', io, { emptyMessage: 'No k8sm tasks found.' });
    expect(io.stderr()).toBe('No k8sm tasks found.\n');
  });

  test('json and yaml: an empty List on stdout, nothing on stderr', async () => {
    const json = bufferIO();
    await printObjects([], spec, 'json', json);
    expect(json.stdout()).toBe('{\n  "kind": "List",\n  "items": []\n}\n');
    expect(json.stderr()).toBe('');
    const yaml = bufferIO();
    await printObjects([], spec, 'yaml', yaml);
    expect(yaml.stdout()).toBe('kind: List\nitems: []\n');
    expect(yaml.stderr()).toBe('');
  });
});

test('printObjects writes what formatObjects returns, and no colour codes even on a colour terminal', async () => {
  const io = bufferIO({ tty: true, color: true });
  await printObjects(agents, spec, 'wide', io);
  expect(io.stdout()).toBe((await formatObjects(agents, spec, 'wide')).out);
  expect(io.stdout()).not.toContain('\u001b');
  expect(io.stderr()).toBe('');
});
