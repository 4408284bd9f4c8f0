// BoundedMap (src/tenancy/bounded-map.ts): never more than its bound; unread entries are
// forgotten before entries read since their insertion; it answers like a Map otherwise.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { BoundedMap } from '../../src/tenancy/bounded-map.ts';

test('the oldest unread entry goes first; a read gives an entry a second chance', () => {
  const map = new BoundedMap<string, number>(3);
  map.set('a', 1);
  map.set('b', 2);
  map.set('c', 3);
  expect(map.get('a')).toBe(1);
  map.set('d', 4); // b is the oldest unread
  expect([map.get('a'), map.get('b'), map.get('c'), map.get('d')]).toEqual([1, undefined, 3, 4]);
  // All read now: the oldest (a, moved behind c and d after its second chance) goes next.
  map.set('e', 5);
  expect(map.size).toBe(3);
  expect(map.get('e')).toBe(5);
  expect([map.get('a'), map.get('c'), map.get('d')].filter((v) => v !== undefined)).toHaveLength(2);
});

test('a hot entry read between inserts survives any number of cold ones', () => {
  const map = new BoundedMap<number, string>(10);
  map.set(-1, 'hot');
  for (let i = 0; i < 1000; i++) {
    expect(map.get(-1)).toBe('hot');
    map.set(i, `cold ${i}`);
    expect(map.size).toBeLessThanOrEqual(10);
  }
  expect(map.get(998)).toBe('cold 998');
  expect(map.get(0)).toBeUndefined();
});

test('against a Map: present keys hold their last value, size never passes the bound', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 20 }), value: fc.integer() }),
    fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ kind: fc.constant('deleteEven' as const) }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (max, ops) => {
      const map = new BoundedMap<number, number>(max);
      const model = new Map<number, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          map.set(o.key, o.value);
          model.set(o.key, o.value);
        } else if (o.kind === 'get') {
          const got = map.get(o.key);
          if (got !== undefined) expect(got).toBe(model.get(o.key));
        } else if (o.kind === 'delete') {
          map.delete(o.key);
          model.delete(o.key);
          expect(map.get(o.key)).toBeUndefined();
        } else {
          map.deleteWhere((_v, k) => k % 2 === 0);
          for (const k of [...model.keys()]) if (k % 2 === 0) model.delete(k);
        }
        expect(map.size).toBeLessThanOrEqual(max);
      }
      // The entry set last is always present.
      const lastSet = ops.filter((o) => o.kind !== 'get').at(-1);
      if (lastSet?.kind === 'set') expect(map.get(lastSet.key)).toBe(lastSet.value);
    }),
  );
});
