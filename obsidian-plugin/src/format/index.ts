export { concatBytes } from "./bytes";
export { FormatError, type FormatErrorKind } from "./errors";
export { readVarint, writeVarint, varintSize, MAX_LENGTH } from "./varint";
export { lz4CompressBlock, lz4DecompressBlock } from "./lz4";
export { newSha256, sha256, newStrongHasher, crc32c, type Sha256, type StrongHasher } from "./hashes";
export { weakSum, roll, rollingPower, ROLLING_MULT } from "./rolling";
export {
  type Signature,
  type SignatureParams,
  SignatureBuilder,
  writeSignature,
  readSignature,
  paramsForBasisLength,
  paramsWithBlockLength,
} from "./signature";
export { DeltaOpWriter, type DeltaStats } from "./delta-writer";
export { DeltaEncoder, writeDelta } from "./encoder";
export {
  DeltaPatcher,
  patch,
  OUTPUT_CHUNK,
  type BasisSource,
  type PatchResult,
  type PatcherOptions,
} from "./patcher";
