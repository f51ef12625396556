// Maven versions compared as Maven's ComparableVersion (3.8/3.9 semantics): the version is split on `.`, `-`
// and digit/letter transitions into a tree of lists (`-` and a transition open a sub-list); numbers compare
// numerically, qualifiers by rank (alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
// < sp), unknown qualifiers after those in lexical order, and trailing nulls (0, "", empty lists) are
// dropped. No maintained npm comparator exists; test/vulns/vectors/maven.txt (Maven's own tests) proves it.

type Item = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const aliases: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const releaseIndex = String(qualifiers.indexOf(''));

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'string', value: aliases[v] ?? v };
}

function comparableQualifier(q: string): string {
  const i = qualifiers.indexOf(q);
  return i === -1 ? `${qualifiers.length}-${q}` : String(i);
}

function parseItem(isDigit: boolean, buf: string): Item {
  return isDigit ? { kind: 'int', value: BigInt(buf) } : stringItem(buf, false);
}

const isNull = (item: Item): boolean =>
  item.kind === 'int' ? item.value === 0n : item.kind === 'string' ? item.value === '' : item.items.length === 0;

function normalize(list: Item[]) {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i]!;
    if (isNull(last)) list.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMavenVersion(version: string): Item {
  const v = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack: (Item & { kind: 'list' })[] = [root];
  const open = () => {
    const sub: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(isDigit, v.slice(start, i)));
      start = i + 1;
      open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(stringItem(v.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(true, v.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (v.length > start) list.items.push(parseItem(isDigit, v.slice(start)));
  while (stack.length) normalize(stack.pop()!.items);
  return root;
}

const stringCompare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** ComparableVersion's Item.compareTo, where `null` stands for a missing item. */
function compareItems(a: Item, b: Item | null): number {
  if (a.kind === 'int') {
    if (b === null) return a.value === 0n ? 0 : 1;
    if (b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return 1; // a number is newer than a qualifier and than a sub-list
  }
  if (a.kind === 'string') {
    if (b === null) return stringCompare(comparableQualifier(a.value), releaseIndex);
    if (b.kind === 'string') return stringCompare(comparableQualifier(a.value), comparableQualifier(b.value));
    return -1;
  }
  if (b === null) {
    for (const item of a.items) {
      const r = compareItems(item, null);
      if (r !== 0) return r;
    }
    return 0;
  }
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i] ?? null;
    const r = b.items[i] ?? null;
    const result = l === null ? (r === null ? 0 : -compareItems(r, l)) : compareItems(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

export function compareMaven(a: string, b: string): number {
  return compareItems(parseMavenVersion(a), parseMavenVersion(b));
}
