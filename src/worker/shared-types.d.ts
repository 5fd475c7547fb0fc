// core/types.ts and core/headers.ts name Node's Buffer in declarations the worker never uses at run time (the worker
// reads bodies as Uint8Array, which a Buffer is); for the worker's type check, a Buffer is just that.
interface Buffer extends Uint8Array {}
