// Alpine package versions compared as apk-tools does (src/version.c):
//   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}
// Tokens are compared pairwise while both sides have the same kind; a digit run with a leading zero is
// compared as a string (Gentoo rule). When the kinds differ, a pre-release suffix (_alpha, _beta, _pre,
// _rc) makes its side older, otherwise the side whose token kind comes later is older. A version that does
// not follow the grammar is compared token by token up to its first bad character, as apk does.
// No maintained npm comparator exists; test/vulns/vectors/apk.txt (apk-tools' own vectors) proves this one.

const enum Token {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
  Invalid,
}

// Suffix ranks: the pre-release ones sort below "no suffix" (5), the post-release ones above.
const suffixes: Record<string, number> = { alpha: 1, beta: 2, pre: 3, rc: 4, cvs: 6, svn: 7, git: 8, hg: 9, p: 10 };
const noSuffix = 5;

interface State {
  token: Token;
  value: string;
  number: bigint;
  suffix: number;
  pos: number;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
const isHex = (c: string | undefined) => c !== undefined && /[0-9a-f]/.test(c);

function parseDigits(t: State, s: string) {
  const start = t.pos;
  while (isDigit(s[t.pos])) t.pos++;
  t.value = s.slice(start, t.pos);
  if (t.value === '') t.token = Token.Invalid;
  else t.number = BigInt(t.value);
}

function first(s: string): State {
  const t: State = { token: Token.InitialDigit, value: '', number: 0n, suffix: 0, pos: 0 };
  parseDigits(t, s);
  return t;
}

function next(t: State, s: string) {
  if (t.pos >= s.length) {
    t.token = Token.End;
    return;
  }
  const c = s[t.pos]!;
  if (isLower(c)) {
    if (t.token > Token.Digit) return void (t.token = Token.Invalid);
    t.value = c;
    t.token = Token.Letter;
    t.pos++;
  } else if (c === '.' || isDigit(c)) {
    if (c === '.') {
      if (t.token > Token.Digit) return void (t.token = Token.Invalid);
      t.pos++;
    }
    if (t.token === Token.InitialDigit || t.token === Token.Digit) t.token = Token.Digit;
    else if (t.token === Token.Suffix) t.token = Token.SuffixNo;
    else return void (t.token = Token.Invalid);
    parseDigits(t, s);
  } else if (c === '_') {
    if (t.token > Token.SuffixNo) return void (t.token = Token.Invalid);
    t.pos++;
    const start = t.pos;
    while (isLower(s[t.pos])) t.pos++;
    t.value = s.slice(start, t.pos);
    const rank = suffixes[t.value];
    if (rank === undefined) return void (t.token = Token.Invalid);
    t.suffix = rank;
    t.token = Token.Suffix;
  } else if (c === '~') {
    if (t.token >= Token.CommitHash) return void (t.token = Token.Invalid);
    t.pos++;
    const start = t.pos;
    while (isHex(s[t.pos])) t.pos++;
    t.value = s.slice(start, t.pos);
    if (t.value === '') return void (t.token = Token.Invalid);
    t.token = Token.CommitHash;
  } else if (c === '-') {
    if (t.token >= Token.RevisionNo || s[t.pos + 1] !== 'r') return void (t.token = Token.Invalid);
    t.pos += 2;
    t.token = Token.RevisionNo;
    parseDigits(t, s);
  } else {
    t.token = Token.Invalid;
  }
}

/** apk's blob sort: bytewise over the common length, then the shorter first. */
function stringSort(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a.charCodeAt(i) < b.charCodeAt(i) ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function cmp<T extends bigint | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenCompare(a: State, b: State): number {
  switch (a.token) {
    case Token.Digit:
      if (a.value[0] === '0' || b.value[0] === '0') return stringSort(a.value, b.value);
      return cmp(a.number, b.number);
    case Token.InitialDigit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      return cmp(a.number, b.number);
    case Token.Letter:
      return cmp(a.value.charCodeAt(0), b.value.charCodeAt(0));
    case Token.Suffix:
      return cmp(a.suffix, b.suffix);
    default:
      return stringSort(a.value, b.value);
  }
}

export function isValidAlpineVersion(v: string): boolean {
  const t = first(v);
  while (t.token < Token.End) next(t, v);
  return t.token === Token.End;
}

export function compareAlpine(a: string, b: string): number {
  const ta = first(a);
  const tb = first(b);
  while (ta.token === tb.token && ta.token < Token.End) {
    const r = tokenCompare(ta, tb);
    if (r !== 0) return r;
    next(ta, a);
    next(tb, b);
  }
  if (ta.token === tb.token) return 0;
  if (ta.token === Token.Suffix && ta.suffix < noSuffix) return -1;
  if (tb.token === Token.Suffix && tb.suffix < noSuffix) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}
