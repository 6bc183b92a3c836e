/** Append-only typed-array columns that grow by doubling (no per-row objects kept). */

export class GrowableFloat64 {
  private buffer = new Float64Array(1024)
  private size = 0

  push(value: number): void {
    if (this.size === this.buffer.length) {
      const next = new Float64Array(this.buffer.length * 2)
      next.set(this.buffer)
      this.buffer = next
    }
    this.buffer[this.size++] = value
  }

  get length(): number {
    return this.size
  }

  /** The values pushed so far: a view of the buffer, not a copy (a copy would double the peak). */
  build(): Float64Array {
    return this.buffer.subarray(0, this.size)
  }
}

export class GrowableInt32 {
  private buffer = new Int32Array(1024)
  private size = 0

  /** The value at `index` (< length). */
  at(index: number): number {
    return this.buffer[index]!
  }

  push(value: number): void {
    if (this.size === this.buffer.length) {
      const next = new Int32Array(this.buffer.length * 2)
      next.set(this.buffer)
      this.buffer = next
    }
    this.buffer[this.size++] = value
  }

  get length(): number {
    return this.size
  }

  build(): Int32Array {
    return this.buffer.subarray(0, this.size)
  }
}

/**
 * Columns that grow together — Int32 and Float64 columns of equal length — with one capacity check
 * per row instead of one per value: `next()` makes room and returns the new row's index, and the
 * caller writes each column at that index.
 *
 * With `capacity` set to an upper bound on the rows (e.g. a file's bytes over its narrowest
 * possible record), the columns never grow or copy. Large typed arrays are allocated zero-filled
 * by the operating system page by page, so capacity that is never written costs address space,
 * not memory.
 */
export class RowBlock {
  private size = 0
  private capacity: number
  ints: Int32Array[]
  floats: Float64Array[]

  constructor(intColumns: number, floatColumns: number, capacity = 1024) {
    this.capacity = Math.max(16, capacity)
    this.ints = Array.from({ length: intColumns }, () => new Int32Array(this.capacity))
    this.floats = Array.from({ length: floatColumns }, () => new Float64Array(this.capacity))
  }

  get length(): number {
    return this.size
  }

  /** Makes room for one more row and returns its index. */
  next(): number {
    if (this.size === this.capacity) this.grow()
    return this.size++
  }

  /** Makes room for `count` more rows and returns the index of the first. */
  reserve(count: number): number {
    while (this.size + count > this.capacity) this.grow()
    const first = this.size
    this.size += count
    return first
  }

  private grow(): void {
    this.capacity *= 2
    this.ints = this.ints.map((old) => {
      const next = new Int32Array(this.capacity)
      next.set(old)
      return next
    })
    this.floats = this.floats.map((old) => {
      const next = new Float64Array(this.capacity)
      next.set(old)
      return next
    })
  }

  /** Int column `j` as filled so far: a view, not a copy. */
  int(j: number): Int32Array {
    return this.ints[j]!.subarray(0, this.size)
  }

  /** Float column `j` as filled so far: a view, not a copy. */
  float(j: number): Float64Array {
    return this.floats[j]!.subarray(0, this.size)
  }
}
