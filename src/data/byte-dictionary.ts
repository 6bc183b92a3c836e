/**
 * A dictionary keyed by byte strings (UTF-8 text as it sits in the file), so that the plain-record
 * path of ingest can look up a client code or a factor level straight from the read buffer,
 * without making a string for every cell.
 *
 * Open addressing with linear probing over a power-of-two table, FNV-1a hashes, keys copied into
 * one growing byte pool. Text keys (from the string path) are looked up by their UTF-8 bytes, so
 * one dictionary serves both paths and they always agree.
 *
 * Example: after `setText("C01", 7)`, `get(bytes, s, e)` is 7 when bytes[s, e) spell `C01`.
 */

/** What `get` returns for a key that is not in the dictionary. */
export const ABSENT = -2147483648

const encoder = new TextEncoder()
// ignoreBOM: a U+FEFF inside a value is kept, as in the string path
const decoder = new TextDecoder("utf-8", { ignoreBOM: true })

/** The text spelled by the UTF-8 bytes[start, end); short ASCII (most codes) without TextDecoder. */
export const textOf = (bytes: Uint8Array, start: number, end: number): string => {
  if (end - start <= 32) {
    let text = ""
    for (let k = start; k < end; k++) {
      const b = bytes[k]!
      if (b >= 0x80) return decoder.decode(bytes.subarray(start, end))
      text += String.fromCharCode(b)
    }
    return text
  }
  return decoder.decode(bytes.subarray(start, end))
}

/** FNV-1a over bytes[start, end), 32-bit. */
const hashBytes = (bytes: Uint8Array, start: number, end: number): number => {
  let h = 0x811c9dc5
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193)
  return h | 0 // an int32 (as the table stores it) even for the empty key
}

export class ByteDictionary {
  /**
   * The hash table: two ints per slot, the entry number + 1 (0 for an empty slot) and the key's
   * hash, so that a probe compares hashes without touching the entries.
   */
  private slots = new Int32Array(2 * 1024)
  /** three ints per entry: the key's start in the pool, its length, its value */
  private entries = new Int32Array(3 * 512)
  private pool = new Uint8Array(4096)
  private used = 0
  private count = 0
  /** scratch for encoding text keys */
  private scratch = new Uint8Array(256)

  /** Number of keys. */
  get size(): number {
    return this.count
  }

  /** The value stored for bytes[start, end), or ABSENT. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const entry = this.find(bytes, start, end, hashBytes(bytes, start, end))
    return entry < 0 ? ABSENT : this.entries[3 * entry + 2]!
  }

  /** Stores `value` for bytes[start, end), replacing any earlier value. */
  set(bytes: Uint8Array, start: number, end: number, value: number): void {
    const hash = hashBytes(bytes, start, end)
    const entry = this.find(bytes, start, end, hash)
    if (entry >= 0) this.entries[3 * entry + 2] = value
    else this.insert(bytes, start, end, hash, value)
  }

  /**
   * Stores `value` for bytes[start, end) unless the key is there already: returns ABSENT when it
   * stored it, else the value found (left unchanged). One lookup where `get` then `set` take two.
   */
  add(bytes: Uint8Array, start: number, end: number, value: number): number {
    const hash = hashBytes(bytes, start, end)
    const entry = this.find(bytes, start, end, hash)
    if (entry >= 0) return this.entries[3 * entry + 2]!
    this.insert(bytes, start, end, hash, value)
    return ABSENT
  }

  /** The value stored for a text key (looked up by its UTF-8 bytes), or ABSENT. */
  getText(key: string): number {
    const length = this.encode(key)
    return this.get(this.scratch, 0, length)
  }

  /** Stores `value` for a text key. */
  setText(key: string, value: number): void {
    const length = this.encode(key)
    this.set(this.scratch, 0, length, value)
  }

  private encode(key: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit
    if (this.scratch.length < key.length * 3) this.scratch = new Uint8Array(key.length * 3)
    return encoder.encodeInto(key, this.scratch).written
  }

  /** The entry holding bytes[start, end), or −1. */
  private find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots
    const mask = (slots.length >> 1) - 1
    const length = end - start
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot]! - 1
      if (entry < 0) return -1
      if (slots[2 * slot + 1] === hash && this.entries[3 * entry + 1] === length && this.equals(entry, bytes, start, length)) return entry
    }
  }

  private equals(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    const pool = this.pool
    const at = this.entries[3 * entry]!
    for (let k = 0; k < length; k++) if (pool[at + k] !== bytes[start + k]) return false
    return true
  }

  private insert(bytes: Uint8Array, start: number, end: number, hash: number, value: number): void {
    const length = end - start
    if (3 * (this.count + 1) > this.entries.length) {
      const entries = new Int32Array(this.entries.length * 2)
      entries.set(this.entries)
      this.entries = entries
    }
    if (this.used + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.used + length))
      pool.set(this.pool.subarray(0, this.used))
      this.pool = pool
    }
    const pool = this.pool
    const at = this.used
    for (let k = 0; k < length; k++) pool[at + k] = bytes[start + k]! // (no subarray object per key)
    const entry = this.count++
    this.entries[3 * entry] = this.used
    this.entries[3 * entry + 1] = length
    this.entries[3 * entry + 2] = value
    this.used += length
    this.place(entry, hash)
    // keep the table at most half full
    if (2 * this.count > this.slots.length >> 1) this.rehash(this.slots.length * 2)
  }

  private place(entry: number, hash: number): void {
    const slots = this.slots
    const mask = (slots.length >> 1) - 1
    let slot = hash & mask
    while (slots[2 * slot] !== 0) slot = (slot + 1) & mask
    slots[2 * slot] = entry + 1
    slots[2 * slot + 1] = hash
  }

  /** A table of `size` ints (twice the slots), every entry placed again. */
  private rehash(size: number): void {
    const old = this.slots
    this.slots = new Int32Array(size)
    for (let slot = 0; slot < old.length; slot += 2) {
      if (old[slot] !== 0) this.place(old[slot]! - 1, old[slot + 1]!)
    }
  }
}
