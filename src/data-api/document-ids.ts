import { randomBytes, randomUUID } from 'node:crypto';
import type { DefaultIdType } from './collection-settings.js';
import type { Json } from './typed-values.js';

let objectIdCounter = randomBytes(3).readUIntBE(0, 3);
const processBytes = randomBytes(5);

/** A new `_id` of the collection's defaultId type; a UUID string when it names none. */
export function newDocumentId(type: DefaultIdType | undefined, now: Date): Json {
  switch (type) {
    case 'objectId':
      return { $objectId: objectId(now) };
    case 'uuid':
      return { $uuid: randomUUID() };
    case 'uuidv6':
      return { $uuid: uuidV6(now) };
    case 'uuidv7':
      return { $uuid: uuidV7(now) };
    default:
      return randomUUID();
  }
}

/** 4 bytes of seconds, 5 random bytes for this process, 3 bytes of a counter. */
function objectId(now: Date): string {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(now.getTime() / 1000) >>> 0, 0);
  processBytes.copy(bytes, 4);
  objectIdCounter = (objectIdCounter + 1) % 0x1000000;
  bytes.writeUIntBE(objectIdCounter, 9, 3);
  return bytes.toString('hex');
}

function format(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 9562 version 7: 48 bits of milliseconds, then random bits. */
function uuidV7(now: Date): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now.getTime(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes.toString('hex'));
}

/** RFC 9562 version 6: the Gregorian 100-ns timestamp, most significant bits first, then random bits. */
function uuidV6(now: Date): string {
  const ticks = (BigInt(now.getTime()) + 12_219_292_800_000n) * 10_000n;
  const high = (ticks >> 12n) & 0xffffffffffffn;
  const low = ticks & 0xfffn;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Number(high), 0, 6);
  bytes.writeUInt16BE(0x6000 | Number(low), 6);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes.toString('hex'));
}
