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
