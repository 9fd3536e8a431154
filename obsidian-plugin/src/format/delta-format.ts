/** Delta format version 1 (docs/FORMAT.md section 4): constants shared by writer and patcher. */
export const DELTA_MAGIC = new Uint8Array([0x76, 0x73, 0x64, 0x6c]);
export const DELTA_VERSION = 1;
export const DELTA_HEADER = 5;
export const OP_END = 0x00;
export const OP_COPY = 0x01;
export const OP_LITERAL = 0x02;
export const OP_LITERAL_LZ4 = 0x03;
/** A LITERAL's length and a LITERAL_LZ4's raw length: 1..2^20. */
export const MAX_LITERAL_LENGTH = 1 << 20;
/** Literal bytes the writer gathers into one operation. */
export const DEFAULT_LITERAL_BLOCK = 64 * 1024;
/** END: opcode, u64 target length, 32-byte SHA-256. */
export const END_SIZE = 1 + 8 + 32;
