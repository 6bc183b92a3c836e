/**
 * report.html of `synthesize`: one self-contained, offline file (inline CSS and SVG, no scripts,
 * a Content-Security-Policy that forbids every fetch), in the style of the primary report.
 * Sections: title, warnings, key result, what was pooled, pooled effect (APA paragraph and
 * table), three-level model, moderators, small-study effects, sensitivity, τ² estimators,
 * figures, methods and references.
 */
import type { SynthesisResults } from "../../../data-schemas/synthesis-results.ts"
import { formatLevel } from "../format.ts"
import { figureListSection, type HtmlFigure, htmlDocument } from "../html.ts"
import { escapeHtml, warningsSection } from "../html-sections.ts"
import { CITATIONS } from "../statements.ts"
import {
  dataSection,
  estimatorsSection,
  keyResultSection,
  modelsSection,
  moderatorsSection,
  sensitivitySection,
  smallStudySection,
  threeLevelSection,
} from "./html-sections.ts"
import { METHOD_LABEL, testLabel } from "./statements.ts"

/** Literature cited by the synthesis methods, APA style. */
export const SYNTHESIS_CITATIONS = {
  ...CITATIONS,
  borenstein:
    "Borenstein, M., Hedges, L. V., Higgins, J. P. T., & Rothstein, H. R. (2009). Introduction to meta-analysis. Wiley. https://doi.org/10.1002/9780470743386",
  cheung:
    "Cheung, M. W.-L. (2014). Modeling dependent effect sizes with three-level meta-analyses: A structural equation modeling approach. Psychological Methods, 19(2), 211–229. https://doi.org/10.1037/a0032968",
  konstantopoulos:
    "Konstantopoulos, S. (2011). Fixed effects and variance components estimation in three-level meta-analysis. Research Synthesis Methods, 2(1), 61–76. https://doi.org/10.1002/jrsm.35",
  pustejovsky:
    "Pustejovsky, J. E., & Tipton, E. (2018). Small-sample methods for cluster-robust variance estimation and hypothesis testing in fixed effects models. Journal of Business & Economic Statistics, 36(4), 672–683. https://doi.org/10.1080/07350015.2016.1247004",
  egger:
    "Egger, M., Davey Smith, G., Schneider, M., & Minder, C. (1997). Bias in meta-analysis detected by a simple, graphical test. BMJ, 315(7109), 629–634. https://doi.org/10.1136/bmj.315.7109.629",
  begg:
    "Begg, C. B., & Mazumdar, M. (1994). Operating characteristics of a rank correlation test for publication bias. Biometrics, 50(4), 1088–1101. https://doi.org/10.2307/2533446",
  duval:
    "Duval, S., & Tweedie, R. (2000). Trim and fill: A simple funnel-plot-based method of testing and adjusting for publication bias in meta-analysis. Biometrics, 56(2), 455–463. https://doi.org/10.1111/j.0006-341X.2000.00455.x",
  rodgers:
    "Rodgers, M. A., & Pustejovsky, J. E. (2021). Evaluating meta-analytic methods to detect selective reporting in the presence of dependent effect sizes. Psychological Methods, 26(2), 141–160. https://doi.org/10.1037/met0000300",
  sterne:
    "Sterne, J. A. C., Sutton, A. J., Ioannidis, J. P. A., et al. (2011). Recommendations for examining and interpreting funnel plot asymmetry in meta-analyses of randomised controlled trials. BMJ, 343, d4002. https://doi.org/10.1136/bmj.d4002",
  viechtbauerCheung:
    "Viechtbauer, W., & Cheung, M. W.-L. (2010). Outlier and influence diagnostics for meta-analysis. Research Synthesis Methods, 1(2), 112–125. https://doi.org/10.1002/jrsm.11",
  peters:
    "Peters, J. L., Sutton, A. J., Jones, D. R., Abrams, K. R., & Rushton, L. (2008). Contour-enhanced meta-analysis funnel plots help distinguish publication bias from other causes of asymmetry. Journal of Clinical Epidemiology, 61(10), 991–996. https://doi.org/10.1016/j.jclinepi.2007.11.010",
} as const

const methodsSection = (results: SynthesisResults): string => {
  const s = results.settings
  const c = SYNTHESIS_CITATIONS
  const lvl = formatLevel(s.ci_level)
  const correlation = s.effect === "correlation"
  const three = results.three_level !== null
  const refs = [
    ...(correlation ? [c.fisher] : []),
    c.viechtbauer2005, c.metafor, c.higgins, ...(s.test === "knha" ? [c.knappHartung] : []), c.borenstein,
    c.egger, c.begg, c.duval, c.sterne, c.viechtbauerCheung, c.peters,
    ...(three ? [c.konstantopoulos, c.cheung, c.pustejovsky, c.rodgers] : []),
    ...(s.literature_reference ? [c.fluckiger] : []),
  ]
  return `<section id="methods">
<h2>Methods</h2>
<p>${correlation ? "Correlations were transformed to Fisher <i>z</i> (<i>y<sub>i</sub></i> = atanh <i>r<sub>i</sub></i>, <i>v<sub>i</sub></i> = 1/(<i>n<sub>i</sub></i> − 3); Fisher, 1921) and every model was fitted on that scale; estimates and intervals were back-transformed to <i>r</i> for reporting." : "Effect sizes and their sampling variances were pooled as given."} The two-level random-effects model estimated the between-study variance τ² by ${escapeHtml(METHOD_LABEL[s.method])}${s.method === "REML" ? " (Viechtbauer, 2005)" : ""}; inference on the pooled effect used the ${escapeHtml(testLabel(s.test))}${s.test === "knha" ? " (Knapp &amp; Hartung, 2003)" : ""}. Heterogeneity is described by Cochran's <i>Q</i>, <i>I</i>² and <i>H</i>² (Higgins &amp; Thompson, 2002) and τ² with its Q-profile ${lvl} confidence interval; the prediction interval gives the expected range of the true effect in a new study. The same model was refitted under every other τ² estimator as a sensitivity analysis. All of these match <code>metafor::rma.uni</code> (Viechtbauer, 2010) on reference data.</p>
<p>Moderators were tested one at a time in mixed-effects meta-regressions (<i>Q<sub>M</sub></i> test; <i>R</i>² analogue = proportional reduction of τ²). For categorical moderators, each level was also pooled separately (its own τ²), and the subgroup estimates were compared with the between-groups <i>Q</i> test (Borenstein et al., 2009, ch. 19).</p>
<p>Small-study effects were examined with the regression test (metafor's <code>regtest</code> default: the mixed-effects model with the standard error as predictor, and the classical weighted regression of Egger et al., 1997), Begg's rank correlation (Begg &amp; Mazumdar, 1994), trim-and-fill with the L0 and R0 estimators and the side chosen from the data (Duval &amp; Tweedie, 2000), and fail-safe N (reported only for comparison with older literature). With fewer than 10 studies these tests have little power (Sterne et al., 2011). The contour-enhanced funnel plot shades the regions where a study would be significant at the 10%, 5% and 1% levels (Peters et al., 2008). Leave-one-out refits and influence diagnostics (studentized residuals, Cook's distances, hat values; Viechtbauer &amp; Cheung, 2010) show how much single effects drive the result.</p>
${
  three
    ? `<p>Because some studies report several effects, a three-level model (sampling error; effects within studies, σ²₂; studies, σ²₃) was fitted by ${results.three_level?.model.status === "estimated" ? escapeHtml(results.three_level.model.method) : "REML"} (Konstantopoulos, 2011; <code>metafor::rma.mv(random = ~ 1 | study/es)</code>). <i>I</i>² was split by level with the typical sampling variance (<i>k</i> − <i>p</i>)/tr(<i>P</i>) (Cheung, 2014). Cluster-robust inference used the CR2 sandwich estimator with Satterthwaite degrees of freedom and studies as clusters (Pustejovsky &amp; Tipton, 2018; <code>clubSandwich::coef_test</code>). metafor has no small-study test or leave-one-out for this model, so the regression test was run as the three-level model with the standard error as moderator, with model-based and CR2 inference (Rodgers &amp; Pustejovsky, 2021), and the model was refitted leaving out one study (cluster) at a time.</p>`
    : ""
}
<h3>References</h3>
<ol class="references">
${refs.map((r) => `<li>${escapeHtml(r)}</li>`).join("\n")}
</ol>
</section>`
}

/** Renders the synthesis report.html with the given figures inlined. Pure and deterministic. */
export const renderSynthesisHtml = (results: SynthesisResults, figures: ReadonlyArray<HtmlFigure>): string => {
  const title = results.study.title ?? results.study.name
  return htmlDocument({
    title: `${title} — evidence synthesis`,
    generator: `${results.tool.name} ${results.tool.version}`,
    body: `<header>
<p class="kicker">Evidence synthesis</p>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Study code <code>${escapeHtml(results.study.name)}</code> · studies file <code>${escapeHtml(results.study.file)}</code> · ${escapeHtml(results.tool.name)} ${escapeHtml(results.tool.version)} · synthesis schema ${escapeHtml(results.schema_version)}</p>
</header>
${warningsSection(results, "No warnings were raised for this synthesis.")}
${keyResultSection(results)}
<main>
${dataSection(results)}
${modelsSection(results)}
${threeLevelSection(results)}
${moderatorsSection(results)}
${smallStudySection(results)}
${sensitivitySection(results)}
${estimatorsSection(results)}
${figureListSection(figures)}
${methodsSection(results)}
</main>
<footer>
<p>Generated by ${escapeHtml(results.tool.name)} ${escapeHtml(results.tool.version)}. This file is self-contained and works offline; the numbers at full precision are in <code>results.json</code> and <code>tables/*.csv</code>.</p>
</footer>`,
  })
}
