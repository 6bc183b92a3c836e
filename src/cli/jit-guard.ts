/**
 * Turns off V8's Maglev compiler for this process (and its worker threads), before the analysis
 * code runs. Imported first by every entry point (pipelines/run.ts, bench/run-one.ts; the test
 * workers get the flag from vitest.config.ts).
 *
 * Why: on Node 24.21 (V8 13.6) the example study's results were, in roughly 1 run in 12 on a busy
 * 2-core machine, different in a few correlations — always the same wrong values (e.g. the primary
 * r 0.0886 instead of 0.2805), while the tables read and the early-alliance means were identical
 * to a good run's. Which estimates went wrong varied with which functions happened to be
 * compiled by Maglev (V8's mid-tier JIT, whose background compiles finish at times that depend on
 * load) before they ran. With Maglev off, 60 runs under the same load gave no wrong value (with it,
 * 6 of 60); with Node 20 (no Maglev by default), 40 of 40 were right. The interpreter, Sparkplug
 * and TurboFan remain, so speed is barely affected.
 *
 * Remove once a Node release fixes it, re-running the check in docs/ARCHITECTURE.md ("JIT guard").
 */
import { setFlagsFromString } from "node:v8"

setFlagsFromString("--no-maglev")
