/**
 * Raised when bytes are not the protobuf message they should be: truncated, a field of the wrong
 * wire type, a length past the end. The message names the source and the field path.
 *
 * @example
 * ```ts
 * try { readSentencePieceModel(bytes.subarray(0, 100), 'spm.model'); }
 * catch (error) { error instanceof ProtobufError; // "spm.model: pieces[7].piece: ..." }
 * ```
 */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

/** Protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** One field of a message: its number, wire type and where its value lies. */
export interface ProtobufField {
  readonly number: number;
  readonly wireType: number;
  /** Varint fields: the value (as a double; exact below 2^53; negative int32/int64 come back negative). */
  readonly value: number;
  /** Length-delimited and fixed fields: the value's bytes. */
  readonly bytes: Uint8Array;
  /** Byte offset of the field's key in the whole buffer, for messages. */
  readonly offset: number;
  /** Byte offset of the value's bytes in the whole buffer. */
  readonly dataOffset: number;
}

/**
 * A minimal reader of the protobuf wire format (varints, 32/64-bit fixed, length-delimited):
 * enough to read SentencePiece's `ModelProto` without generated code.
 *
 * @example
 * ```ts
 * for (const field of readFields(bytes, 'spm.model', 'ModelProto')) if (field.number === 1) readFields(field.bytes, ...);
 * ```
 */
export function readFields(bytes: Uint8Array, source: string, path: string, base = 0): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let position = 0;
  const fail = (message: string): never => {
    throw new ProtobufError(`${source}: ${path}: ${message} (byte ${base + position}; the message spans bytes ${base}-${base + bytes.length})`);
  };
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    const first = position;
    for (let index = 0; index < 10; index++) {
      if (position >= bytes.length) fail('truncated varint');
      const byte = bytes[position++]!;
      if (index >= 7) return bigVarint(first); // past 2^49: exact in BigInt
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return result;
    }
    return fail('varint longer than 10 bytes');
  };
  /** A long varint (negative int32s take 10 bytes) read exactly, as an int64. */
  const bigVarint = (first: number): number => {
    position = first;
    let result = 0n;
    for (let index = 0; index < 10; index++) {
      if (position >= bytes.length) fail('truncated varint');
      const byte = bytes[position++]!;
      result |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if (byte < 0x80) return Number(BigInt.asIntN(64, result));
    }
    return fail('varint longer than 10 bytes');
  };
  while (position < bytes.length) {
    const offset = base + position;
    const key = varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) fail('field number 0');
    let value = 0;
    let data = bytes.subarray(0, 0);
    let dataOffset = base + position;
    if (wireType === WIRE.varint) {
      value = varint(); // an int32 of -1 is written as the 10-byte two's complement, read back as -1
    } else if (wireType === WIRE.fixed32 || wireType === WIRE.fixed64) {
      const size = wireType === WIRE.fixed32 ? 4 : 8;
      if (position + size > bytes.length) fail(`field ${number}: truncated ${size * 8}-bit value`);
      data = bytes.subarray(position, position + size);
      position += size;
    } else if (wireType === WIRE.bytes) {
      const length = varint();
      if (position + length > bytes.length) fail(`field ${number}: length ${length} runs past the end`);
      dataOffset = base + position;
      data = bytes.subarray(position, position + length);
      position += length;
    } else {
      fail(`field ${number}: unsupported wire type ${wireType}`);
    }
    fields.push({ number, wireType, value, bytes: data, offset, dataOffset });
  }
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A field's bytes as UTF-8 text; invalid UTF-8 is an error naming the path. */
export function fieldString(field: ProtobufField, source: string, path: string): string {
  expectWireType(field, WIRE.bytes, source, path);
  try {
    return utf8.decode(field.bytes);
  } catch {
    throw new ProtobufError(`${source}: ${path}: expected UTF-8 text, got invalid bytes (at byte ${field.offset})`);
  }
}

/** A fixed32 field as a float. */
export function fieldFloat(field: ProtobufField, source: string, path: string): number {
  expectWireType(field, WIRE.fixed32, source, path);
  return new DataView(field.bytes.buffer, field.bytes.byteOffset, 4).getFloat32(0, true);
}

/** A varint field as a number (booleans and enums too). */
export function fieldVarint(field: ProtobufField, source: string, path: string): number {
  expectWireType(field, WIRE.varint, source, path);
  return field.value;
}

/** Checks a field's wire type. */
export function expectWireType(field: ProtobufField, wireType: number, source: string, path: string): void {
  if (field.wireType !== wireType) {
    const names = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];
    throw new ProtobufError(`${source}: ${path}: expected a ${names[wireType]} field, got wire type ${names[field.wireType] ?? field.wireType} (at byte ${field.offset})`);
  }
}
