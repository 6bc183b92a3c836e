import { describe, expect, it } from "vitest"
import {
  assertFinite,
  formatCi,
  formatCount,
  formatDf,
  formatLevel,
  formatNumber,
  formatP,
  formatPercent,
  formatPValue,
  formatR,
  MINUS,
  NonFiniteNumberError,
  sym,
  toPlain,
  txt,
} from "../../src/report/format.ts"

describe("assertFinite", () => {
  it("returns a finite number unchanged", () => {
    expect(assertFinite(0.25, "x")).toBe(0.25)
  })
  it("throws a programming error for NaN, infinities and non-numbers", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined, null, "1"]) {
      expect(() => assertFinite(bad, "x")).toThrow(NonFiniteNumberError)
    }
  })
})

describe("formatR", () => {
  it("drops the leading zero of a correlation", () => {
    expect(formatR(0.2849)).toBe(".28")
    expect(formatR(0.278, 3)).toBe(".278")
  })
  it("rounds .2849 down and .2851 up to two decimals", () => {
    expect(formatR(0.2849)).toBe(".28")
    expect(formatR(0.2851)).toBe(".29")
  })
  it("prints negative correlations with a minus sign", () => {
    expect(formatR(-0.124)).toBe(`${MINUS}.12`)
    expect(formatR(-0.124)).toBe("−.12")
  })
  it("prints a value that rounds to zero without a sign", () => {
    expect(formatR(-0.001)).toBe(".00")
    expect(formatR(-0)).toBe(".00")
  })
  it("prints a value that rounds to one as 1.00", () => {
    expect(formatR(0.9999)).toBe("1.00")
    expect(formatR(-0.9999)).toBe("−1.00")
    expect(formatR(1)).toBe("1.00")
  })
  it("rejects NaN and |r| > 1", () => {
    expect(() => formatR(Number.NaN)).toThrow(NonFiniteNumberError)
    expect(() => formatR(1.5)).toThrow(RangeError)
  })
})

describe("formatP", () => {
  it("prints p < .001 for very small p-values", () => {
    expect(formatP(1.9e-23)).toBe("< .001")
    expect(formatP(0)).toBe("< .001")
    expect(formatP(0.000999)).toBe("< .001")
  })
  it("prints three decimals without a leading zero", () => {
    expect(formatP(0.0342)).toBe("= .034")
    expect(formatP(0.001)).toBe("= .001")
    expect(formatP(0.05)).toBe("= .050")
  })
  it("prints p > .999 when p rounds to 1", () => {
    expect(formatP(0.9999)).toBe("> .999")
    expect(formatP(1)).toBe("> .999")
    expect(formatP(0.9994)).toBe("= .999")
  })
  it("rejects NaN and values outside [0, 1]", () => {
    expect(() => formatP(Number.NaN)).toThrow(NonFiniteNumberError)
    expect(() => formatP(1.2)).toThrow(RangeError)
  })
})

describe("formatPValue", () => {
  it("drops the equals sign for a table column but keeps < and >", () => {
    expect(formatPValue(0.0342)).toBe(".034")
    expect(formatPValue(1e-9)).toBe("< .001")
    expect(formatPValue(0.9999)).toBe("> .999")
  })
})

describe("formatCi", () => {
  it("prints a correlation CI in brackets without leading zeros", () => {
    expect(formatCi([0.23168971429843366, 0.33641056243061995])).toBe("[.23, .34]")
    expect(formatCi([-0.0309, 0.2618])).toBe("[−.03, .26]")
  })
  it("accepts another formatter for non-correlation intervals", () => {
    expect(formatCi([1.12, 10.28], (x) => formatNumber(x))).toBe("[1.12, 10.28]")
  })
})

describe("formatNumber", () => {
  it("keeps the leading zero and rounds to the requested digits", () => {
    expect(formatNumber(0.008934276513899553, 4)).toBe("0.0089")
    expect(formatNumber(5.402468813163145)).toBe("5.40")
  })
  it("groups thousands and uses the minus sign", () => {
    expect(formatNumber(201665252.88, 0)).toBe("201,665,253")
    expect(formatNumber(-1234.5, 1)).toBe("−1,234.5")
  })
  it("throws instead of printing NaN or Infinity", () => {
    expect(() => formatNumber(Number.NaN)).toThrow(NonFiniteNumberError)
    expect(() => formatNumber(Number.POSITIVE_INFINITY)).toThrow(NonFiniteNumberError)
  })
})

describe("formatCount", () => {
  it("inserts thousands separators deterministically", () => {
    expect(formatCount(0)).toBe("0")
    expect(formatCount(999)).toBe("999")
    expect(formatCount(1000)).toBe("1,000")
    expect(formatCount(14875)).toBe("14,875")
    expect(formatCount(1234567)).toBe("1,234,567")
  })
  it("rejects non-integers", () => {
    expect(() => formatCount(1.5)).toThrow(RangeError)
  })
})

describe("formatPercent", () => {
  it("prints a 0–100 percentage with one decimal", () => {
    expect(formatPercent(66.99554597758741)).toBe("67.0%")
    expect(formatPercent(0)).toBe("0.0%")
    expect(formatPercent(100)).toBe("100.0%")
  })
})

describe("formatDf", () => {
  it("prints integer df without separators and fractional df with two decimals", () => {
    expect(formatDf(1182)).toBe("1182")
    expect(formatDf(12.345)).toBe("12.35")
  })
})

describe("formatLevel", () => {
  it("prints a confidence level as a percentage", () => {
    expect(formatLevel(0.95)).toBe("95%")
    expect(formatLevel(0.9)).toBe("90%")
    expect(formatLevel(0.995)).toBe("99.5%")
  })
})

describe("sym", () => {
  it("marks a segment as a statistical symbol", () => {
    expect(sym("r")).toEqual({ text: "r", symbol: true })
  })
})

describe("txt", () => {
  it("makes a plain segment", () => {
    expect(txt(" = .28")).toEqual({ text: " = .28" })
  })
})

describe("toPlain", () => {
  it("joins a statement's text without markup", () => {
    expect(toPlain([sym("r"), txt(" = .28, "), sym("p"), txt(" < .001")])).toBe("r = .28, p < .001")
  })
})
