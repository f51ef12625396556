// The image's filesystem as layers are applied: a tree of entries (metadata only, never content) where a
// later layer replaces, deletes (`.wh.<name>`) or hides (`.wh..wh..opq`) what earlier layers put there.
// A tree rather than a flat map so that deleting a directory is one operation, not a scan of every path.
// An attacker controls its shape, so it has a budget: nodes created, and the total length of their
// paths (what analyzers iterate). A path implies one node per level, and a node at depth d has a path
// of length ~d, so without these a 100 KB layer of deep paths costs gigabytes and minutes.

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/**
 * What the tree keeps of an entry. Not its size: sizes differ from file to file, and without them most
 * files of a layer have equal metadata, so the tree keeps one shared copy of each (see `intern`). The
 * objects are shared, so they are read-only.
 */
export interface EntryMeta {
  readonly type: EntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly linkTarget: string | null;
  /** Index of the layer that last wrote this entry. */
  readonly layer: number;
}

const typeIndex: Record<EntryType, number> = { file: 0, dir: 1, symlink: 2, hardlink: 3, other: 4 };
/** Distinct metadata kept for sharing, and how many variants (owners) of one type, mode and layer. */
const maxShared = 65_536;
const maxOwnersPerKey = 16;

/**
 * A directory: its own entry (null when implied by a child path but never listed itself) and its children.
 * Anything else is stored in its parent's map as its EntryMeta alone, so a file costs one object, not two
 * (an image of 400,000 small files holds 400,000 of them).
 */
class Dir {
  readonly children = new Map<string, Dir | EntryMeta>();
  constructor(public meta: EntryMeta | null) {}
}

export interface TreeBudget {
  maxNodes: number;
  /** Sum over all nodes of the length of the node's full path. */
  maxPathBytes: number;
}

/** Thrown by `put` when recording an entry would exceed the budget; the tree is left as it was. */
export class TreeBudgetExceeded extends Error {
  override name = 'TreeBudgetExceeded';
}

/**
 * Directories found by their path, so that an entry's parent is one lookup instead of a descent from the
 * root. It is emptied whenever a directory leaves the tree (whiteouts, opaque markers, a file over a
 * directory), so it never holds a stale one, and when its memory budget is spent. A key may be a slice of
 * the whole entry name (V8 keeps the name alive), so a key is charged that name's length plus the Map entry.
 */
const maxLookupBytes = 4 * 1024 * 1024;
const lookupEntryBytes = 64;

export class FilesystemTree {
  private readonly root = new Dir(null);
  private readonly shared = new Map<number, EntryMeta[]>();
  private sharedCount = 0;
  private readonly lookup = new Map<string, Dir>();
  private lookupBytes = 0;
  /** Nodes created so far (whiteouts do not give them back: churn costs time, so it counts). */
  nodes = 0;
  pathBytes = 0;

  constructor(private readonly budget: TreeBudget = { maxNodes: Number.MAX_SAFE_INTEGER, maxPathBytes: Number.MAX_SAFE_INTEGER }) {}

  /**
   * Records an entry at `path` (relative to the root: no leading or trailing slash, no empty, `.` or `..`
   * segment, as `checkEntryPath` gives it), replacing whatever was there.
   */
  put(path: string, entry: EntryMeta): void {
    const meta = this.intern(entry);
    const slash = path.lastIndexOf('/');
    const dirPath = slash < 0 ? '' : path.slice(0, slash);
    // A directory seen before is found by its path in one lookup.
    let parent = slash < 0 ? this.root : this.lookup.get(dirPath);
    const found = parent !== undefined;
    // Otherwise one descent: the directories that exist already, then the budget for what is missing, then the change.
    let existingEnd = slash;
    if (!parent) {
      parent = this.root;
      let start = 0;
      while (start < slash) {
        const end = path.indexOf('/', start);
        const next: Dir | EntryMeta | undefined = parent.children.get(path.slice(start, end));
        if (!(next instanceof Dir)) break;
        parent = next;
        start = end + 1;
      }
      existingEnd = start - 1;
    }
    let nodes = 0;
    let bytes = 0;
    // A missing directory at each slash after the last existing one; its path is "/" + the path up to that slash.
    for (let i = path.indexOf('/', existingEnd + 1); i >= 0 && i <= slash; i = path.indexOf('/', i + 1)) {
      nodes += 1;
      bytes += 1 + i;
    }
    const name = slash < 0 ? path : path.slice(slash + 1);
    const existing = nodes === 0 ? parent.children.get(name) : undefined;
    if (!(existing instanceof Dir)) {
      nodes += 1;
      bytes += 1 + path.length;
    }
    this.spend(nodes, bytes);
    // A file or link where a directory is needed: the later path wins, as when a runtime unpacks it.
    for (let start = existingEnd + 1; start <= slash; ) {
      const end = path.indexOf('/', start);
      const dir = new Dir(null);
      parent.children.set(path.slice(start, end), dir);
      parent = dir;
      start = end + 1;
    }
    if (!found) this.remember(dirPath, parent, path.length);
    // A directory entry over an existing directory keeps its children (layers merge directories).
    if (meta.type === 'dir' && existing instanceof Dir) existing.meta = meta;
    else {
      if (existing instanceof Dir) this.forget();
      parent.children.set(name, meta.type === 'dir' ? new Dir(meta) : meta);
    }
  }

  /** `.wh.<name>`: removes `name` (and everything below it) that earlier layers created. */
  whiteout(parentPath: string, name: string): void {
    const parent = this.find(parentPath);
    if (parent instanceof Dir && parent.children.delete(name)) this.forget();
  }

  /** `.wh..wh..opq`: hides every child of the directory that an earlier layer created (this layer's stay). */
  opaque(dirPath: string, layer: number): void {
    const segments = split(dirPath);
    this.reserve(segments);
    this.dropOlderThan(this.ensureDir(segments), layer);
    this.forget();
  }

  get(path: string): EntryMeta | null {
    const node = this.find(path);
    return node instanceof Dir ? node.meta : node;
  }

  /**
   * Every entry of the final filesystem with its absolute path, depth first; with `keep`, only the entries
   * it accepts (their paths are built only then, so a pass that wants a few entries of many stays cheap).
   */
  *entries(keep?: (meta: EntryMeta) => boolean): Generator<[string, EntryMeta]> {
    const stack: [string, Dir][] = [['', this.root]];
    while (stack.length) {
      const [path, dir] = stack.pop()!;
      if (dir.meta && path && (!keep || keep(dir.meta))) yield [path, dir.meta];
      for (const [name, child] of dir.children) {
        if (child instanceof Dir) stack.push([`${path}/${name}`, child]);
        else if (!keep || keep(child)) yield [`${path}/${name}`, child];
      }
    }
  }

  /** How many entries of the final filesystem `keep` accepts, without building their paths. */
  count(keep: (meta: EntryMeta) => boolean): number {
    let n = 0;
    const stack: Dir[] = [this.root];
    while (stack.length) {
      const dir = stack.pop()!;
      if (dir.meta && dir !== this.root && keep(dir.meta)) n++;
      for (const child of dir.children.values()) {
        if (child instanceof Dir) stack.push(child);
        else if (keep(child)) n++;
      }
    }
    return n;
  }

  /** The entries directly inside the directory at `path` (none when it is absent or not a directory). */
  *children(path: string): Generator<[string, EntryMeta]> {
    const dir = this.find(path);
    if (!(dir instanceof Dir)) return;
    for (const [name, child] of dir.children) {
      const meta = child instanceof Dir ? child.meta : child;
      if (meta) yield [name, meta];
    }
  }

  /**
   * The tree's shared copy of metadata equal to `meta` (most files of a layer have the same type, mode,
   * owner and layer), so 400,000 files cost a handful of metadata objects instead of 400,000. Links keep
   * their own (their targets differ); past the caps, entries keep theirs too.
   */
  private intern(meta: EntryMeta): EntryMeta {
    if (meta.linkTarget !== null) return meta;
    const key = typeIndex[meta.type] + 8 * (meta.mode & 0o7777) + 32_768 * meta.layer;
    const owners = this.shared.get(key);
    if (owners) {
      for (const m of owners) if (m.type === meta.type && m.mode === meta.mode && m.uid === meta.uid && m.gid === meta.gid && m.layer === meta.layer) return m;
    }
    if (this.sharedCount >= maxShared || (owners && owners.length >= maxOwnersPerKey)) return meta;
    const copy: EntryMeta = { type: meta.type, mode: meta.mode, uid: meta.uid, gid: meta.gid, linkTarget: null, layer: meta.layer };
    if (owners) owners.push(copy);
    else this.shared.set(key, [copy]);
    this.sharedCount++;
    return copy;
  }

  /** Checks the budget for the nodes `segments` would add as directories, before anything is changed. */
  private reserve(segments: readonly string[]): void {
    let node: Dir | EntryMeta | undefined = this.root;
    let nodes = 0;
    let bytes = 0;
    let pathLength = 0;
    for (const s of segments) {
      pathLength += 1 + s.length;
      node = node instanceof Dir ? node.children.get(s) : undefined;
      if (!(node instanceof Dir)) {
        nodes += 1;
        bytes += pathLength;
      }
    }
    this.spend(nodes, bytes);
  }

  private spend(nodes: number, bytes: number): void {
    if (this.nodes + nodes > this.budget.maxNodes) throw new TreeBudgetExceeded(`more than ${this.budget.maxNodes} filesystem tree nodes`);
    if (this.pathBytes + bytes > this.budget.maxPathBytes) throw new TreeBudgetExceeded(`the paths of the filesystem tree add up to more than ${this.budget.maxPathBytes} bytes`);
    this.nodes += nodes;
    this.pathBytes += bytes;
  }

  private dropOlderThan(start: Dir, layer: number): void {
    // Post-order without recursion: a hostile tree may be thousands of levels deep.
    const stack: { dir: Dir; visited: boolean }[] = [{ dir: start, visited: false }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (!top.visited) {
        top.visited = true;
        for (const child of top.dir.children.values()) if (child instanceof Dir) stack.push({ dir: child, visited: false });
        continue;
      }
      stack.pop();
      for (const [name, child] of top.dir.children) {
        const meta = child instanceof Dir ? child.meta : child;
        const older = !meta || meta.layer < layer;
        // An older directory survives only as the parent of something this layer wrote below it.
        if (older && !(child instanceof Dir && child.children.size)) top.dir.children.delete(name);
      }
    }
  }

  private remember(dirPath: string, dir: Dir, retained: number): void {
    const cost = retained + lookupEntryBytes;
    if (this.lookupBytes + cost > maxLookupBytes) this.forget();
    this.lookup.set(dirPath, dir);
    this.lookupBytes += cost;
  }

  private forget(): void {
    this.lookup.clear();
    this.lookupBytes = 0;
  }

  private find(path: string): Dir | EntryMeta | null {
    let node: Dir | EntryMeta = this.root;
    for (const s of split(path)) {
      const next: Dir | EntryMeta | undefined = node instanceof Dir ? node.children.get(s) : undefined;
      if (!next) return null;
      node = next;
    }
    return node;
  }

  /** The directory at `segments`, created as needed. */
  private ensureDir(segments: readonly string[]): Dir {
    let node = this.root;
    for (const s of segments) {
      let next = node.children.get(s);
      if (!(next instanceof Dir)) {
        // A file or link where a directory is needed: the later path wins, as when a runtime unpacks it.
        next = new Dir(null);
        node.children.set(s, next);
      }
      node = next;
    }
    return node;
  }
}

const split = (path: string): string[] => path.split('/').filter(Boolean);
