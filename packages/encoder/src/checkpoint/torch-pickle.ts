// Reads `pytorch_model.bin` as written by torch.save since torch 1.6 (`_use_new_zipfile_serialization`): a zip
// holding `<archive>/data.pkl` (a pickle of the state dict in which every tensor is
// `torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, ...)`) and one raw little-endian file
// per storage, `<archive>/data/<key>` (torch/serialization.py `_save` / `_load`).
// The pickle is interpreted by a tiny VM that knows only the opcodes a state dict uses and only an allow-list of
// globals (torch.load(weights_only=True)'s idea, torch/_weights_only_unpickler.py): nothing is ever executed, and
// anything else is a CheckpointError naming the opcode and its byte offset.
import { CheckpointError, DTYPE_SIZE, numel, typedView, type DType, type RawTensor } from './raw-tensor';
import { isZip, readZipEntries, zipEntryData, type ZipEntry } from './zip';

/** torch storage class → dtype (torch/storage.py, `_pickle_storage_type`). */
const STORAGE_DTYPE: Readonly<Record<string, DType>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

/** The dtype of a `torch.<Name>Storage` class name; own keys only (`constructor`, `__proto__` are not storages). */
function storageDtype(name: string): DType | undefined {
  return Object.prototype.hasOwnProperty.call(STORAGE_DTYPE, name) ? STORAGE_DTYPE[name] : undefined;
}

const CALLABLES = new Set([
  'collections.OrderedDict',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch.device',
]);

class PyTuple {
  constructor(readonly items: unknown[]) {}
}
class PyDict {
  readonly items = new Map<unknown, unknown>();
}
class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}
interface Storage {
  dtype: DType;
  key: string;
}
class TensorRef {
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    readonly size: number[],
    readonly stride: number[],
  ) {}
}

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x80: 'PROTO', 0x95: 'FRAME', 0x7d: 'EMPTY_DICT', 0x5d: 'EMPTY_LIST', 0x29: 'EMPTY_TUPLE', 0x28: 'MARK',
  0x74: 'TUPLE', 0x85: 'TUPLE1', 0x86: 'TUPLE2', 0x87: 'TUPLE3', 0x58: 'BINUNICODE', 0x8c: 'SHORT_BINUNICODE',
  0x8d: 'BINUNICODE8', 0x71: 'BINPUT', 0x72: 'LONG_BINPUT', 0x94: 'MEMOIZE', 0x68: 'BINGET', 0x6a: 'LONG_BINGET',
  0x63: 'GLOBAL', 0x93: 'STACK_GLOBAL', 0x51: 'BINPERSID', 0x4a: 'BININT', 0x4b: 'BININT1', 0x4d: 'BININT2',
  0x8a: 'LONG1', 0x47: 'BINFLOAT', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x4e: 'NONE', 0x52: 'REDUCE', 0x62: 'BUILD',
  0x73: 'SETITEM', 0x75: 'SETITEMS', 0x61: 'APPEND', 0x65: 'APPENDS', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP',
  0x2e: 'STOP',
};

/** Runs the restricted pickle VM; returns the unpickled object (PyDict, TensorRef, ... as plain JS values). */
function unpickle(data: Uint8Array, persistentLoad: (pid: unknown, at: number) => unknown): unknown {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const memo = new Map<number, unknown>();
  const metastack: unknown[][] = [];
  let stack: unknown[] = [];
  let pos = 0;
  let at = 0; // offset of the opcode being run, for error messages
  let op = 0;

  const fail = (why: string): never => {
    const name = OPCODE_NAMES[op] ?? 'unknown';
    throw new CheckpointError(`torch pickle: opcode 0x${op.toString(16).padStart(2, '0')} (${name}) at offset ${at}: ${why}`);
  };
  const need = (n: number): number => {
    if (pos + n > data.length) fail(`needs ${n} bytes, only ${data.length - pos} left (truncated data.pkl)`);
    const p = pos;
    pos += n;
    return p;
  };
  const pop = (): unknown => (stack.length > 0 ? stack.pop() : fail('stack underflow'));
  const top = (): unknown => (stack.length > 0 ? stack[stack.length - 1] : fail('stack underflow'));
  const popMark = (): unknown[] => {
    const items = stack;
    stack = metastack.pop() ?? fail('no MARK on the stack');
    return items;
  };
  const str = (n: number): string => {
    const p = need(n);
    try {
      return utf8.decode(data.subarray(p, p + n));
    } catch {
      return fail('string is not valid UTF-8');
    }
  };
  const line = (): string => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) fail('GLOBAL name not terminated by a newline');
    return str(end - pos + 1).slice(0, -1);
  };
  const global = (module: string, name: string): PyGlobal => {
    const g = new PyGlobal(module, name);
    if (!CALLABLES.has(g.qualified) && !(module === 'torch' && storageDtype(name))) {
      fail(`global ${g.qualified} is not allowed (only the tensor-rebuilding globals a state dict uses)`);
    }
    return g;
  };
  const get = (i: number): unknown => (memo.has(i) ? memo.get(i) : fail(`memo key ${i} was never stored`));
  const dict = (): PyDict => {
    const d = top();
    return d instanceof PyDict ? d : fail(`expected a dict on the stack, got ${describe(d)}`);
  };
  const list = (): unknown[] => {
    const l = top();
    return Array.isArray(l) ? l : fail(`expected a list on the stack, got ${describe(l)}`);
  };

  for (;;) {
    at = pos;
    op = data[need(1)];
    switch (op) {
      case 0x80: // PROTO
        if (data[need(1)] > 5) fail(`protocol ${data[pos - 1]} is newer than 5`);
        break;
      case 0x95: // FRAME: a length prefix for buffering; the bytes follow inline
        need(8);
        break;
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x28: metastack.push(stack); stack = []; break; // MARK
      case 0x74: { const items = popMark(); stack.push(new PyTuple(items)); break; } // TUPLE (popMark swaps `stack`)
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push(new PyTuple([pop(), b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push(new PyTuple([pop(), b, c])); break; } // TUPLE3
      case 0x58: stack.push(str(dv.getUint32(need(4), true))); break; // BINUNICODE
      case 0x8c: stack.push(str(data[need(1)])); break; // SHORT_BINUNICODE
      case 0x8d: { // BINUNICODE8 (a length past the data fails in `need`)
        const n = dv.getBigUint64(need(8), true);
        stack.push(str(n > data.length ? data.length + 1 : Number(n)));
        break;
      }
      case 0x71: memo.set(data[need(1)], top()); break; // BINPUT
      case 0x72: memo.set(dv.getUint32(need(4), true), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(get(data[need(1)])); break; // BINGET
      case 0x6a: stack.push(get(dv.getUint32(need(4), true))); break; // LONG_BINGET
      case 0x63: { const module = line(); stack.push(global(module, line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('module and name must be strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x51: stack.push(persistentLoad(pop(), at)); break; // BINPERSID
      case 0x4a: stack.push(dv.getInt32(need(4), true)); break; // BININT
      case 0x4b: stack.push(data[need(1)]); break; // BININT1
      case 0x4d: stack.push(dv.getUint16(need(2), true)); break; // BININT2
      case 0x8a: { // LONG1: n little-endian two's complement bytes
        const n = data[need(1)];
        const p = need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[p + i]);
        if (n > 0 && data[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: stack.push(dv.getFloat64(need(8), false)); break; // BINFLOAT (big endian)
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4e: stack.push(null); break; // NONE
      case 0x52: { const args = pop(); stack.push(call(pop(), args, fail)); break; } // REDUCE
      case 0x62: { // BUILD: the state of an OrderedDict is its __dict__ (e.g. state_dict's `_metadata`): dropped
        pop();
        if (!(top() instanceof PyDict)) fail(`BUILD on ${describe(top())} is not supported`);
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); dict().items.set(k, v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('odd number of items');
        const d = dict();
        for (let i = 0; i < items.length; i += 2) d.items.set(items[i], items[i + 1]);
        break;
      }
      case 0x61: { const v = pop(); list().push(v); break; } // APPEND
      case 0x65: { const items = popMark(); list().push(...items); break; } // APPENDS
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x2e: // STOP
        return pop();
      default:
        fail('not an opcode a state dict uses (refusing to interpret it)');
    }
  }
}

function describe(v: unknown): string {
  if (v instanceof PyTuple) return `tuple(${v.items.length})`;
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyGlobal) return v.qualified;
  if (v instanceof TensorRef) return 'tensor';
  if (Array.isArray(v)) return 'list';
  return v === null ? 'None' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function intTuple(v: unknown, what: string, fail: (why: string) => never): number[] {
  if (!(v instanceof PyTuple) || !v.items.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
    return fail(`${what} must be a tuple of non-negative ints, got ${describe(v)}`);
  }
  return v.items as number[];
}

/** REDUCE: the only callables are the allow-listed globals; each is interpreted here, never executed. */
function call(fn: unknown, args: unknown, fail: (why: string) => never): unknown {
  if (!(fn instanceof PyGlobal) || !(args instanceof PyTuple)) {
    return fail(`cannot call ${describe(fn)} with ${describe(args)}`);
  }
  const a = args.items;
  switch (fn.qualified) {
    case 'collections.OrderedDict':
      if (a.length !== 0) fail(`OrderedDict with arguments is not supported, got ${a.length}`);
      return new PyDict();
    case 'torch._utils._rebuild_tensor_v2': {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      const [storage, offset, size, stride] = a;
      if (a.length < 4 || !(storage && typeof storage === 'object' && 'key' in storage)) {
        return fail(`_rebuild_tensor_v2 needs (storage, offset, size, stride, ...), got ${a.map(describe).join(', ')}`);
      }
      if (!Number.isSafeInteger(offset) || (offset as number) < 0) fail(`storage offset must be an int, got ${describe(offset)}`);
      const sz = intTuple(size, 'size', fail);
      const st = intTuple(stride, 'stride', fail);
      if (sz.length !== st.length) fail(`size (${sz}) and stride (${st}) have different ranks`);
      return new TensorRef(storage as Storage, offset as number, sz, st);
    }
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
      return a[0] instanceof TensorRef ? a[0] : fail(`${fn.name} needs a tensor, got ${describe(a[0])}`);
    case 'torch.device':
      return typeof a[0] === 'string' ? a[0] : fail(`torch.device needs a string, got ${describe(a[0])}`);
    default:
      return fail(`calling ${fn.qualified} is not allowed`);
  }
}

/** Copies a strided view of a storage into a contiguous row-major array (or views it when already contiguous). */
function materialize(name: string, t: TensorRef, storageBytes: Uint8Array, bigEndian: boolean): RawTensor {
  const { dtype } = t.storage;
  const size = DTYPE_SIZE[dtype];
  const storageLen = Math.floor(storageBytes.length / size);
  const count = numel(t.size, name);
  const shape = t.size.slice();
  let last = t.offset; // largest element index the view touches
  for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * t.stride[d];
  if (count > 0 && last >= storageLen) {
    throw new CheckpointError(
      `torch checkpoint: tensor ${name} (offset ${t.offset}, size [${shape}], stride [${t.stride}]) ` +
        `reaches element ${last}, storage ${t.storage.key} has ${storageLen}`,
    );
  }
  let contiguous = true;
  for (let d = shape.length - 1, expect = 1; d >= 0; d--) {
    if (shape[d] !== 1 && t.stride[d] !== expect) contiguous = false;
    expect *= shape[d];
  }
  if (count === 0) return { dtype, shape, data: typedView(dtype, new Uint8Array(0), 0, 0) };
  if (contiguous) {
    return { dtype, shape, data: typedView(dtype, storageBytes, t.offset * size, count, bigEndian) };
  }
  const src = typedView(dtype, storageBytes, 0, storageLen, bigEndian) as unknown as { [i: number]: number | bigint };
  let buffer: Uint8Array;
  try {
    buffer = new Uint8Array(count * size); // a stride-0 (expanded) view can ask for far more than its storage
  } catch {
    throw new CheckpointError(`torch checkpoint: tensor ${name} of size [${shape}] is too large to materialize`);
  }
  const out = typedView(dtype, buffer, 0, count);
  const dst = out as unknown as { [i: number]: number | bigint };
  const idx = new Array<number>(shape.length).fill(0);
  let j = t.offset;
  for (let i = 0; i < count; i++) {
    dst[i] = src[j];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        j += t.stride[d];
        break;
      }
      j -= (shape[d] - 1) * t.stride[d];
      idx[d] = 0;
    }
  }
  return { dtype, shape, data: out };
}

/**
 * The tensors of a torch >= 1.6 `pytorch_model.bin`, by state-dict key in pickle order (nested dicts are flattened
 * with '.', non-tensor values are skipped). Contiguous tensors are views into `bytes`; strided ones are copied.
 */
export function readTorchBin(bytes: Uint8Array): Map<string, RawTensor> {
  if (!isZip(bytes)) {
    // The legacy format is a bare pickle stream (PROTO first); torch < 0.4 wrote a tar ("ustar" at 257).
    const tar = bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar';
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new CheckpointError(
      bytes[0] === 0x80 || tar
        ? 'torch checkpoint: legacy (pre-1.6, non-zip) torch.save format is not supported: ' +
            're-save it with torch >= 1.6 or convert it to safetensors'
        : `torch checkpoint: not a zip archive (starts with bytes ${head})`,
    );
  }
  const entries = readZipEntries(bytes);
  // The archive folder is named after the file torch.save wrote ("archive", "pytorch_model", ...).
  const pkls = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) {
    const found = pkls.length ? pkls.join(', ') : 'none';
    throw new CheckpointError(`torch checkpoint: expected one <archive>/data.pkl entry, found ${found}`);
  }
  const prefix = pkls[0].slice(0, -'data.pkl'.length);
  const entry = (name: string): ZipEntry => {
    const e = entries.get(prefix + name);
    if (!e) throw new CheckpointError(`torch checkpoint: zip entry ${prefix + name} is missing`);
    return e;
  };
  // torch >= 2.1 records the byte order of the storages; older archives are little endian.
  const order = entries.has(`${prefix}byteorder`)
    ? new TextDecoder().decode(zipEntryData(bytes, entry('byteorder'))).trim()
    : 'little';
  if (order !== 'little' && order !== 'big') {
    throw new CheckpointError(`torch checkpoint: byteorder must be little or big, got ${order}`);
  }

  const storages = new Map<string, Storage>();
  const persistentLoad = (pid: unknown, at: number): Storage => {
    // ('storage', storage_type, key, location, numel)
    const items = pid instanceof PyTuple ? pid.items : [];
    const [kind, type, key] = items;
    const dtype = type instanceof PyGlobal && type.module === 'torch' ? storageDtype(type.name) : undefined;
    if (kind !== 'storage' || !dtype || typeof key !== 'string') {
      throw new CheckpointError(
        `torch pickle: BINPERSID at offset ${at}: expected ('storage', torch.<Type>Storage, key, location, numel), ` +
          `got ${items.map(describe).join(', ') || describe(pid)}`,
      );
    }
    const s = storages.get(key) ?? { dtype, key };
    storages.set(key, s);
    return s;
  };
  const root = unpickle(zipEntryData(bytes, entry('data.pkl')), persistentLoad);
  if (!(root instanceof PyDict)) {
    throw new CheckpointError(`torch checkpoint: data.pkl holds ${describe(root)}, expected a state dict`);
  }

  const out = new Map<string, RawTensor>();
  const seen = new Set<PyDict>();
  const walk = (d: PyDict, path: string): void => {
    if (seen.has(d)) return;
    seen.add(d);
    for (const [k, v] of d.items) {
      const name = path + String(k);
      if (v instanceof TensorRef) {
        const data = zipEntryData(bytes, entry(`data/${v.storage.key}`));
        out.set(name, materialize(name, v, data, order === 'big'));
      } else if (v instanceof PyDict) walk(v, `${name}.`);
    }
  };
  walk(root, '');
  return out;
}
