// Runs the policy bundle's Wasm module: OPA's Wasm ABI (version 1, minor ≥ 2: the one-call `opa_eval`), as
// OPA documents it. @open-policy-agent/opa-wasm does the same with more per-call work than an evaluation can
// afford when it is this short (a fraction of a millisecond): a new TextEncoder/TextDecoder, an intermediate copy
// of the input, a byte-by-byte JavaScript loop to find the end of the output, and the same again for every
// builtin call the policy makes into the host (one `sprintf` per message). Here those are one encode straight
// into Wasm memory and one native search. The package still defines what the Wasm target supports
// (its capabilities.json, used by the policy build).
import { hostBuiltins } from './host-builtins.ts';

/** The parts of the WebAssembly API used here (the global is typed only as a namespace without the DOM library). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WebAssembly.Module;
  instantiate(module: WebAssembly.Module, imports: object): Promise<{ exports: unknown }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles Wasm bytes in this thread (for small modules; the bundle is compiled by engine.ts). */
export const compileModule = (bytes: Uint8Array): WebAssembly.Module => new wasmApi.Module(bytes);

interface PolicyExports {
  opa_wasm_abi_version: { value: unknown };
  opa_wasm_abi_minor_version?: { value: unknown };
  builtins(): number;
  entrypoints(): number;
  opa_malloc(bytes: number): number;
  opa_json_parse(addr: number, len: number): number;
  opa_json_dump(addr: number): number;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(addr: number): void;
  opa_eval(reserved: number, entrypoint: number, data: number, input: number, inputLen: number, heap: number, format: number): number;
}

type Builtin = (...args: unknown[]) => unknown;
const pageBytes = 64 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PolicyInstance {
  private exports!: PolicyExports;
  private bytes: Uint8Array;
  /** Builtin id (as the module numbers them) → implementation. */
  private builtinsById: Builtin[] = [];
  private entrypointIds = new Map<string, number>();
  private baseHeapPtr = 0;
  private staticEnd = 0;
  private dataAddr = 0;
  private dataHeapPtr = 0;

  private constructor(private readonly memory: WasmMemory) {
    this.bytes = new Uint8Array(memory.buffer);
  }

  /** Instantiates the compiled module with its own memory; the instance starts with empty data. */
  static async instantiate(module: WebAssembly.Module, initialPages = 64): Promise<PolicyInstance> {
    const memory = new wasmApi.Memory({ initial: initialPages });
    const host = new PolicyInstance(memory);
    const call = (id: number, args: number[]) => host.callBuiltin(id, args);
    const imports = {
      env: {
        memory,
        opa_abort: (addr: number) => {
          throw new Error(`policy aborted: ${host.readString(addr)}`);
        },
        opa_println: (addr: number) => process.stderr.write(`${host.readString(addr)}\n`),
        opa_builtin0: (id: number) => call(id, []),
        opa_builtin1: (id: number, _ctx: number, a: number) => call(id, [a]),
        opa_builtin2: (id: number, _ctx: number, a: number, b: number) => call(id, [a, b]),
        opa_builtin3: (id: number, _ctx: number, a: number, b: number, c: number) => call(id, [a, b, c]),
        opa_builtin4: (id: number, _ctx: number, a: number, b: number, c: number, d: number) => call(id, [a, b, c, d]),
      },
    };
    const instance = await wasmApi.instantiate(module, imports);
    host.exports = instance.exports as unknown as PolicyExports;
    host.init();
    return host;
  }

  private init(): void {
    const major = this.exports.opa_wasm_abi_version.value as number;
    const minor = (this.exports.opa_wasm_abi_minor_version?.value as number | undefined) ?? 0;
    if (major !== 1 || minor < 2) throw new Error(`policy module has OPA Wasm ABI ${major}.${minor}; this host needs 1.2 or later`);
    // Below the heap as the module starts is its static data: never allocated, freed or written.
    this.staticEnd = this.exports.opa_heap_ptr_get();
    const missing: string[] = [];
    for (const [name, id] of Object.entries(this.dumpValue(this.exports.builtins()) as Record<string, number>)) {
      const impl = hostBuiltins[name];
      if (impl) this.builtinsById[id] = impl;
      else missing.push(name);
    }
    // The policy build instantiates every module it builds, so this fails the build rather than a scan.
    if (missing.length) throw new Error(`the policy module calls builtins this host does not implement (policies/host-builtins.ts): ${missing.sort().join(', ')}`);
    for (const [name, id] of Object.entries(this.dumpValue(this.exports.entrypoints()) as Record<string, number>)) this.entrypointIds.set(name, id);
    this.dataAddr = this.loadJson('{}');
    this.baseHeapPtr = this.exports.opa_heap_ptr_get();
    this.dataHeapPtr = this.baseHeapPtr;
  }

  /** Replaces `data` for every later evaluation. */
  setData(data: unknown): void {
    this.exports.opa_heap_ptr_set(this.baseHeapPtr);
    this.dataAddr = this.loadJson(JSON.stringify(data));
    this.dataHeapPtr = this.exports.opa_heap_ptr_get();
  }

  /** Evaluates one entrypoint on one input; returns the parsed result set. */
  evaluate(input: unknown, entrypoint: string): unknown {
    const id = this.entrypointIds.get(entrypoint);
    if (id === undefined) throw new Error(`entrypoint ${entrypoint} is not in this policy module`);
    const text = JSON.stringify(input);
    // The input goes right above `data`; the evaluation's own heap starts after it and is reset by the next call.
    const at = this.dataHeapPtr;
    const written = this.encodeAt(text, at);
    const result = this.exports.opa_eval(0, id, this.dataAddr, at, written, at + written, 0);
    return JSON.parse(this.readString(result));
  }

  /** Encodes text as UTF-8 at addr, growing memory to fit the longest encoding (3 bytes per UTF-16 unit). */
  private encodeAt(text: string, addr: number): number {
    const need = addr + text.length * 3 - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / pageBytes));
    return encoder.encodeInto(text, this.view().subarray(addr)).written;
  }

  /** JSON text → a value on the module's heap. */
  private loadJson(text: string): number {
    const len = Buffer.byteLength(text);
    const addr = this.exports.opa_malloc(len);
    encoder.encodeInto(text, this.view().subarray(addr, addr + len));
    const value = this.exports.opa_json_parse(addr, len);
    if (value === 0) throw new Error('policy module could not parse a JSON value from the host');
    return value;
  }

  private dumpValue(addr: number): unknown {
    return JSON.parse(this.readString(this.exports.opa_json_dump(addr)));
  }

  /** The NUL-terminated UTF-8 string at addr. */
  private readString(addr: number): string {
    const bytes = this.view();
    const end = bytes.indexOf(0, addr);
    return decoder.decode(bytes.subarray(addr, end < 0 ? bytes.length : end));
  }

  /** A view of memory that follows it when it grows (growing detaches the old buffer). */
  private view(): Uint8Array {
    if (this.bytes.buffer !== this.memory.buffer) this.bytes = new Uint8Array(this.memory.buffer);
    return this.bytes;
  }

  /**
   * Arguments in the module's static data are its constants (every sprintf format is one): their JSON is read
   * once per instance. The builtins never modify their arguments, so one parsed value serves every call.
   */
  private readonly constants = new Map<number, unknown>();

  private argument(addr: number): unknown {
    if (addr >= this.staticEnd) return this.dumpValue(addr);
    let value = this.constants.get(addr);
    if (value === undefined && !this.constants.has(addr)) this.constants.set(addr, (value = this.dumpValue(addr)));
    return value;
  }

  private callBuiltin(id: number, args: number[]): number {
    const impl = this.builtinsById[id];
    if (!impl) throw new Error(`the policy module called builtin ${id}, which it did not declare`);
    const result = impl(...args.map((a) => this.argument(a)));
    // Undefined (0): the builtin has no value for these arguments, and the expression is undefined in Rego.
    return result === undefined ? 0 : this.loadJson(JSON.stringify(result));
  }
}
