// The image's filesystem as layers are applied: a tree of entries (metadata only, never content) where a
// later layer replaces, deletes (`.wh.<name>`) or hides (`.wh..wh..opq`) what earlier layers put there.
// A tree rather than a flat map so that deleting a directory is one operation, not a scan of every path.
// An attacker controls its shape, so it has a budget: nodes created, and the total length of their
// paths (what analyzers iterate). A path implies one node per level, and a node at depth d has a path
// of length ~d, so without these a 100 KB layer of deep paths costs gigabytes and minutes.

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface EntryMeta {
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkTarget: string | null;
  /** Index of the layer that last wrote this entry. */
  layer: number;
}

interface Node {
  meta: EntryMeta | null; // null for directories implied by a child path but never listed themselves
  children: Map<string, Node> | null;
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

export class FilesystemTree {
  private readonly root: Node = { meta: null, children: new Map() };
  /** Nodes created so far (whiteouts do not give them back: churn costs time, so it counts). */
  nodes = 0;
  pathBytes = 0;

  constructor(private readonly budget: TreeBudget = { maxNodes: Number.MAX_SAFE_INTEGER, maxPathBytes: Number.MAX_SAFE_INTEGER }) {}

  /** Records an entry at `path` (segments, no leading slash), replacing whatever was there. */
  put(segments: readonly string[], meta: EntryMeta): void {
    this.reserve(segments);
    const parent = this.ensureDir(segments, segments.length - 1);
    const name = segments[segments.length - 1]!;
    const existing = parent.children!.get(name);
    // A directory entry over an existing directory keeps its children (layers merge directories).
    if (meta.type === 'dir' && existing?.children) existing.meta = meta;
    else parent.children!.set(name, { meta, children: meta.type === 'dir' ? new Map() : null });
  }

  /** `.wh.<name>`: removes `name` (and everything below it) that earlier layers created. */
  whiteout(parentSegments: readonly string[], name: string): void {
    this.find(parentSegments)?.children?.delete(name);
  }

  /** `.wh..wh..opq`: hides every child of the directory that an earlier layer created (this layer's stay). */
  opaque(dirSegments: readonly string[], layer: number): void {
    this.reserve(dirSegments);
    this.dropOlderThan(this.ensureDir(dirSegments, dirSegments.length), layer);
  }

  get(segments: readonly string[]): EntryMeta | null {
    return this.find(segments)?.meta ?? null;
  }

  /** Every entry of the final filesystem with its absolute path, depth first. */
  *entries(): Generator<[string, EntryMeta]> {
    const stack: [string, Node][] = [['', this.root]];
    while (stack.length) {
      const [path, node] = stack.pop()!;
      if (node.meta && path) yield [path, node.meta];
      if (node.children) for (const [name, child] of node.children) stack.push([`${path}/${name}`, child]);
    }
  }

  /** Checks the budget for the nodes `segments` would add, before anything is changed. */
  private reserve(segments: readonly string[]): void {
    let node: Node | undefined = this.root;
    let nodes = 0;
    let bytes = 0;
    let pathLength = 0;
    for (const s of segments) {
      pathLength += 1 + s.length;
      node = node?.children?.get(s);
      if (!node || !node.children) {
        nodes += 1;
        bytes += pathLength;
      }
    }
    if (this.nodes + nodes > this.budget.maxNodes) throw new TreeBudgetExceeded(`more than ${this.budget.maxNodes} filesystem tree nodes`);
    if (this.pathBytes + bytes > this.budget.maxPathBytes) throw new TreeBudgetExceeded(`the paths of the filesystem tree add up to more than ${this.budget.maxPathBytes} bytes`);
    this.nodes += nodes;
    this.pathBytes += bytes;
  }

  private dropOlderThan(start: Node, layer: number): void {
    // Post-order without recursion: a hostile tree may be thousands of levels deep.
    const stack: { node: Node; visited: boolean }[] = [{ node: start, visited: false }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (!top.visited) {
        top.visited = true;
        for (const child of top.node.children!.values()) if (child.children) stack.push({ node: child, visited: false });
        continue;
      }
      stack.pop();
      for (const [name, child] of top.node.children!) {
        const older = !child.meta || child.meta.layer < layer;
        // An older directory survives only as the parent of something this layer wrote below it.
        if (older && !child.children?.size) top.node.children!.delete(name);
      }
    }
  }

  private find(segments: readonly string[]): Node | null {
    let node = this.root;
    for (const s of segments) {
      const next = node.children?.get(s);
      if (!next) return null;
      node = next;
    }
    return node;
  }

  /** The directory at the first `depth` segments, created as needed. */
  private ensureDir(segments: readonly string[], depth: number): Node {
    let node = this.root;
    for (let i = 0; i < depth; i++) {
      const s = segments[i]!;
      let next = node.children!.get(s);
      if (!next || !next.children) {
        // A file or link where a directory is needed: the later path wins, as when a runtime unpacks it.
        next = { meta: null, children: new Map() };
        node.children!.set(s, next);
      }
      node = next;
    }
    return node;
  }
}
