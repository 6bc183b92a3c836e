/**
 * Headless, offline, byte-deterministic rendering of Vega-Lite specs to SVG.
 *
 * compile (vega-lite) → parse (vega) → `new View(runtime, { renderer: "none" }).toSVG()`.
 *
 * - Offline: the View gets a loader that refuses every URI, and a render during which anything
 *   was requested fails with {@link OfflineLoadError}: a spec that tries to load data or images
 *   never touches the network or the file system. Report specs carry their data inline.
 * - Deterministic: Vega numbers clip paths and gradients with module-level counters, so they are
 *   reset before each render, and renders are serialised (one at a time) so that two concurrent
 *   renders cannot interleave their counters. Text widths come from Vega's character-count
 *   estimate rather than a canvas, so the output does not depend on installed fonts or on whether
 *   the optional `canvas` package happens to be present.
 */
import * as vega from "vega"
import { type Loader, parse, resetSVGDefIds, View } from "vega"
import { compile, type TopLevelSpec } from "vega-lite"
import type { Spec as VegaSpec } from "vega"

/** Raised when a spec asks the renderer to fetch something: report specs must be self-contained. */
export class OfflineLoadError extends Error {
  override readonly name = "OfflineLoadError"
  constructor(readonly uri: string) {
    super(`report rendering is offline: refusing to load "${uri}" (inline the data in the spec)`)
  }
}

/**
 * A Vega loader that refuses every request. Vega only logs a failed load and renders on without
 * the data, so every refused URI is also passed to `onRefused`, and {@link renderSvg} fails the
 * render afterwards.
 */
export const refusingLoader = (onRefused: (uri: string) => void = () => undefined): Loader => {
  const refuse = (uri: string): Promise<never> => {
    onRefused(uri)
    return Promise.reject(new OfflineLoadError(uri))
  }
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse }
}

/** A Vega loader that refuses every request. */
export const offlineLoader: Loader = refusingLoader()

/** Vega-Lite compilation warnings, collected instead of printed. */
export interface CompiledSpec {
  readonly vega: VegaSpec
  readonly warnings: ReadonlyArray<string>
}

const collectingLogger = (warnings: Array<string>) => {
  let level = 0
  const logger = {
    level(next?: number) {
      if (next === undefined) return level
      level = next
      return logger
    },
    error(...args: ReadonlyArray<unknown>): never {
      throw new Error(`vega-lite: ${args.map(String).join(" ")}`)
    },
    warn(...args: ReadonlyArray<unknown>) {
      warnings.push(args.map(String).join(" "))
      return logger
    },
    info() {
      return logger
    },
    debug() {
      return logger
    },
  }
  return logger
}

/** Compiles a Vega-Lite spec to Vega, returning the Vega spec and any compiler warnings. */
export const compileSpec = (spec: TopLevelSpec): CompiledSpec => {
  const warnings: Array<string> = []
  const { spec: vega } = compile(spec, { logger: collectingLogger(warnings) })
  return { vega, warnings }
}

/** Disables canvas text measurement (if the optional `canvas` package is installed) for stable widths. */
const useEstimatedTextWidths = (): void => {
  // `textMetrics` is exported by vega at runtime but missing from its typings.
  const metrics: unknown = (vega as unknown as Readonly<Record<string, unknown>>)["textMetrics"]
  if (typeof metrics === "object" && metrics !== null && "canvas" in metrics && typeof metrics.canvas === "function") {
    metrics.canvas(false)
  }
}

let queue: Promise<unknown> = Promise.resolve()

const renderOnce = async (spec: TopLevelSpec): Promise<string> => {
  const { vega } = compileSpec(spec)
  useEstimatedTextWidths()
  resetSVGDefIds()
  const refused: Array<string> = []
  const view = new View(parse(vega), { renderer: "none", loader: refusingLoader((uri) => refused.push(uri)), logLevel: 0 })
  try {
    const svg = await view.toSVG()
    const [first] = refused
    if (first !== undefined) throw new OfflineLoadError(first)
    return svg
  } finally {
    view.finalize()
  }
}

/**
 * Renders a Vega-Lite spec to an SVG string, headless and offline. The spec must carry its data
 * inline and fixed width/height; the same spec always yields the same bytes.
 * Example: `await renderSvg(forestPlotSpec(results))` → `"<svg xmlns=…>…</svg>"`.
 */
export const renderSvg = (spec: TopLevelSpec): Promise<string> => {
  const next = queue.then(() => renderOnce(spec))
  queue = next.catch(() => undefined)
  return next
}
