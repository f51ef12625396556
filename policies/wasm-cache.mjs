// A per-user cache of the compiled policy module, so a CLI run does not compile the Wasm again.
//
// Node.js 22 has no public way to keep compiled WebAssembly between processes: module.enableCompileCache()
// covers JavaScript only, and v8.serialize() writes a WebAssembly.Module as an in-process transfer id that
// no other process can read. V8 itself can serialize a module's machine code (the format Chrome's code
// cache uses); Node reaches it only through V8's runtime functions %SerializeWasmModule and
// %DeserializeWasmModule, which need --allow-natives-syntax. So:
//   - the reader turns that flag on just long enough to make two functions, and uses the cache only when
//     both exist (another Node.js or V8 falls back to compiling, silently);
//   - V8 serializes only optimized (TurboFan) code, and its serializer aborts the process when there is
//     none, so entries are written by a separate, niced, detached process that compiles every function
//     with TurboFan: a crash there costs only the cache, and a run never waits for it;
//   - V8 refuses code made under other flags. The writer switches Liftoff and lazy compilation off and
//     back on around its compile; the reader makes the same two switches before deserializing, which
//     gives the same flag hash (V8 tracks which flags were set, not only their values);
//   - V8 trusts the bytes it deserializes (its reader does not bound-check in release builds), so every
//     entry carries the SHA-256 of its payload and one that does not match is never handed to V8: a
//     truncated or corrupt file is a miss, compiled as usual and rewritten.
// An entry is named by the SHA-256 of the Wasm bytes, the Node.js and V8 versions and the platform, lives
// under $XDG_CACHE_HOME/posture/wasm (default ~/.cache/posture/wasm), and the directory keeps at most
// maxEntries entries and maxBytes in all. Only a plain `node` process uses it (no execArgv, no NODE_OPTIONS:
// other flags change V8's flag hash); POSTURE_WASM_CACHE=off turns it off.
//
// Plain JavaScript: the writer runs as `node policies/wasm-cache.mjs <policy.wasm> <lock>`, without a
// TypeScript loader. Types: wasm-cache.d.mts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const magic = Buffer.from('posture wasm cache 1\n');
/** Written in place of an entry V8 cannot make or will not take for this key: no run tries again. */
const unusableMark = Buffer.from('posture wasm cache: unusable\n');
const digestBytes = 32;
export const maxEntries = 8;
export const maxBytes = 64 * 1024 * 1024;
/** A writer takes well under a minute; a lock older than this was left by one that died. */
const staleMs = 5 * 60 * 1000;

/** $XDG_CACHE_HOME/posture/wasm; a relative XDG_CACHE_HOME is ignored, as the XDG spec says. */
export function cacheDir(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'posture', 'wasm');
}

/** The entry for these Wasm bytes under this Node.js and V8 build. */
export function entryFile(wasm, env = process.env) {
  const key = createHash('sha256')
    .update(wasm)
    .update(`\0node ${process.version}\0v8 ${process.versions.v8}\0${process.platform}-${process.arch}`)
    .digest('hex');
  return path.join(cacheDir(env), `${key}.bin`);
}

/** Whether this process may use the cache (see above). */
export function cacheEnabled(env = process.env) {
  return env.POSTURE_WASM_CACHE !== 'off' && process.execArgv.length === 0 && !env.NODE_OPTIONS;
}

let natives;
/** V8's module (de)serializers, or null where this V8 has none. */
function v8Natives() {
  if (natives !== undefined) return natives;
  try {
    v8.setFlagsFromString('--allow-natives-syntax');
    try {
      natives = {
        serialize: new Function('module', 'return %SerializeWasmModule(module)'),
        deserialize: new Function('bytes', 'wire', 'return %DeserializeWasmModule(bytes, wire)'),
      };
    } finally {
      v8.setFlagsFromString('--no-allow-natives-syntax');
    }
  } catch {
    natives = null;
  }
  return natives;
}

/** Every function compiled with TurboFan, at once (on), or V8's defaults again (off). */
function optimizeAll(on) {
  v8.setFlagsFromString(on ? '--no-liftoff' : '--liftoff');
  v8.setFlagsFromString(on ? '--no-wasm-lazy-compilation' : '--wasm-lazy-compilation');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

/**
 * The cached module for these bytes, or why there is none:
 * hit | miss (no entry) | corrupt (bad header, length or checksum) | unusable (marked) | rejected (V8 said no) |
 * untrusted (directory or entry writable by others) | unsupported.
 */
export function readEntry(wasm, file = entryFile(wasm)) {
  // An entry is compiled machine code handed to V8 as is: only a directory and file that no one but this
  // user can write may supply it (a shared or world-writable XDG_CACHE_HOME would let another user run code).
  if (!ownedPrivately(path.dirname(file)) || (existsQuietly(file) && !ownedPrivately(file))) return { status: 'untrusted' };
  let blob;
  try {
    blob = readFileSync(file);
  } catch {
    return { status: 'miss' };
  }
  if (blob.equals(unusableMark)) return { status: 'unusable' };
  const header = magic.length + digestBytes;
  if (blob.length <= header || !blob.subarray(0, magic.length).equals(magic)) return { status: 'corrupt' };
  const payload = blob.subarray(header);
  if (!sha256(payload).equals(blob.subarray(magic.length, header))) return { status: 'corrupt' };
  const n = v8Natives();
  if (!n) return { status: 'unsupported' };
  optimizeAll(true);
  optimizeAll(false);
  let module;
  try {
    module = n.deserialize(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.length), new Uint8Array(wasm));
  } catch {
    module = undefined;
  }
  if (!(module instanceof WebAssembly.Module)) {
    try {
      writeAtomically(file, unusableMark);
    } catch {
      // a read-only cache: the next run is refused the same way
    }
    return { status: 'rejected' };
  }
  return { status: 'hit', module };
}

/** True when `p` belongs to this user and neither its group nor others may write it (always true off POSIX). */
function ownedPrivately(p) {
  if (typeof process.getuid !== 'function') return true;
  try {
    const st = statSync(p);
    return st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return true; // nothing there yet: a miss, and the writer creates it with mode 0700
  }
}

function existsQuietly(p) {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The compiled policy module: from the cache when it holds these bytes, else compiled here (V8's default
 * lazy tiers, the cheapest for one run), with a writer started in the background when the entry is
 * missing or corrupt. `wasmFile` holds the same bytes (the writer reads it); `writer` is this file's path.
 */
export async function compilePolicyModule(wasm, { wasmFile, writer, env = process.env }) {
  if (!cacheEnabled(env)) return { module: await WebAssembly.compile(wasm), cache: 'off' };
  const file = entryFile(wasm, env);
  const found = readEntry(wasm, file);
  if (found.status === 'hit') return { module: found.module, cache: 'hit' };
  if (found.status === 'miss' || found.status === 'corrupt') startWriter(wasmFile, file, writer, env);
  return { module: await WebAssembly.compile(wasm), cache: found.status };
}

function startWriter(wasmFile, file, writer, env) {
  const lock = `${file}.lock`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      if (Date.now() - statSync(lock).mtimeMs < staleMs) return; // another run is writing it
      unlinkSync(lock);
    } catch {
      // no lock
    }
    closeSync(openSync(lock, 'wx', 0o600));
    const child = spawn(process.execPath, [writer, wasmFile, lock], { detached: true, stdio: 'ignore', env: { ...env, NODE_OPTIONS: '' } });
    child.on('error', () => unlinkQuietly(lock));
    if (child.pid) {
      try {
        os.setPriority(child.pid, 19);
      } catch {
        // already gone, or not allowed: it runs at normal priority
      }
    }
    child.unref();
  } catch {
    // A cache that cannot be written (read-only home, a full disk) costs this run nothing.
  }
}

/**
 * Compiles the module in `wasmFile` with TurboFan and writes its entry (then trims the directory). The entry
 * is marked unusable first, so a V8 that aborts while serializing leaves a mark instead of a retry per run.
 */
export function writeEntry(wasmFile, env = process.env) {
  const wasm = readFileSync(wasmFile);
  const file = entryFile(wasm, env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const n = v8Natives();
  if (!n) return writeAtomically(file, unusableMark);
  writeAtomically(file, unusableMark);
  optimizeAll(true);
  let module;
  try {
    module = new WebAssembly.Module(wasm);
  } finally {
    optimizeAll(false);
  }
  const payload = Buffer.from(n.serialize(module));
  writeAtomically(file, Buffer.concat([magic, sha256(payload), payload]));
  prune(path.dirname(file));
  return file;
}

/** Keeps the newest entries within maxEntries and maxBytes; removes what dead writers left. */
export function prune(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const entries = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const info = statSync(file);
      if (name.endsWith('.bin')) entries.push({ file, mtimeMs: info.mtimeMs, size: info.size });
      else if ((name.endsWith('.tmp') || name.endsWith('.lock')) && Date.now() - info.mtimeMs > staleMs) unlinkQuietly(file);
    } catch {
      // removed meanwhile
    }
  }
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  let total = 0;
  entries.forEach((e, i) => {
    total += e.size;
    if (i >= maxEntries || total > maxBytes) unlinkQuietly(e.file);
  });
}

function writeAtomically(file, bytes) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes, { mode: 0o600 });
  renameSync(tmp, file);
}

function unlinkQuietly(file) {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

// The writer: `node wasm-cache.mjs <policy.wasm> <lock>`.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [wasmFile, lock] = process.argv.slice(2);
  try {
    writeEntry(wasmFile);
  } finally {
    if (lock) unlinkQuietly(lock);
  }
}
