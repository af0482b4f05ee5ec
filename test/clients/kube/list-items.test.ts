/**
 * The list splitter the scheduler's first pod list is read through (a watch-cache list comes in one
 * answer): any list, cut into any pieces, gives back exactly its items, in order, and the rest.
 */
import fc from 'fast-check';
import { ListItemSplitter, ListItemsError } from '../../../src/clients/kube/list-items.js';

/** Cuts `text` at the given fractions. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

function split(pieces: string[]): { items: unknown[]; rest: unknown } {
  const s = new ListItemSplitter();
  const items = pieces.flatMap((p) => s.push(p)).map((t) => JSON.parse(t) as unknown);
  return { items, rest: JSON.parse(s.end()) };
}

// strings with what could fool a splitter: quotes, backslashes, brackets, "items", unicode
const tricky = fc.oneof(fc.string(), fc.constantFrom('"', '\\', '{', '}', '[', ']', '"items":[', '\\"}]', 'é€𝄞', ''));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(tricky, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const item = fc.dictionary(tricky, value, { maxKeys: 5 });

describe('ListItemSplitter', () => {
  it('gives back every item and the list without them, however the answer is cut (any spacing, keys before and after items)', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 8 }),
        fc.dictionary(tricky, value, { maxKeys: 3 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.boolean(),
        (items, extra, at, pretty) => {
          const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'x"]' }, ...extra, items, after: { items: [1] } };
          const text = JSON.stringify(list, null, pretty ? 2 : undefined);
          const got = split(cut(text, at));
          expect(got.items).toEqual(JSON.parse(JSON.stringify(items)));
          expect(got.rest).toEqual(JSON.parse(JSON.stringify({ ...list, items: [] })));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a list with no items, or items null, gives none', () => {
    expect(split(['{"kind":"PodList","items":[]}'])).toEqual({ items: [], rest: { kind: 'PodList', items: [] } });
    expect(split(['{"kind":"PodList","items":null}'])).toEqual({ items: [], rest: { kind: 'PodList', items: null } });
  });

  it('says so when the answer stops inside a value (a truncated stream), or an item is not an object', () => {
    const s = new ListItemSplitter();
    expect(s.push('{"metadata":{},"items":[{"a":1},{"b":"x')).toHaveLength(1);
    expect(() => s.end()).toThrow(ListItemsError);
    expect(() => new ListItemSplitter().push('{"items":[{"a":1},2]}')).toThrow(/not an object/);
    expect(() => new ListItemSplitter().push('{"items":[]}}')).toThrow(ListItemsError);
  });

  it('refuses an item, or text outside the items, longer than its limit instead of holding it', () => {
    const s = new ListItemSplitter(100);
    expect(() => {
      s.push('{"items":[{"a":"');
      for (let i = 0; i < 10; i++) s.push('x'.repeat(20));
    }).toThrow(/longer than 100/);
    const h = new ListItemSplitter(100);
    expect(() => {
      h.push('{"metadata":{"a":"');
      for (let i = 0; i < 10; i++) h.push('x'.repeat(20));
    }).toThrow(/outside the items/);
  });
});
