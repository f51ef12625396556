// The image's filesystem as layers are applied: a tree of entries (metadata only, never content) where a
// later layer replaces, deletes (`.wh.<name>`) or hides (`.wh..wh..opq`) what earlier layers put there.
// A tree rather than a flat map so that deleting a directory is one operation, not a scan of every path.

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

export class FilesystemTree {
  private readonly root: Node = { meta: null, children: new Map() };

  /** Records an entry at `path` (segments, no leading slash), replacing whatever was there. */
  put(segments: readonly string[], meta: EntryMeta): void {
    const parent = this.ensureDir(segments.slice(0, -1));
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
    this.dropOlderThan(this.ensureDir(dirSegments), layer);
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

  private dropOlderThan(node: Node, layer: number): void {
    for (const [name, child] of node.children!) {
      if (child.children) this.dropOlderThan(child, layer);
      const older = !child.meta || child.meta.layer < layer;
      // An older directory survives only as the parent of something this layer wrote below it.
      if (older && !child.children?.size) node.children!.delete(name);
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

  private ensureDir(segments: readonly string[]): Node {
    let node = this.root;
    for (const s of segments) {
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
