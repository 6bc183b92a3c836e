# Full-precision JSON writer shared by the golden-value scripts in test/reference/
# (correlation.R, distributions.R, meta-analysis.R, pipeline.R).
#
# Why not jsonlite::toJSON: it writes at most 15 significant digits, whatever `digits` says
# (digits = NA, digits = 17 and digits = I(17) all give 0.333333333333333 for 1/3, and 0.3 for
# 0.1 + 0.2). A double needs 17 significant digits to round-trip, and the TypeScript tests compare
# at 1e-10 relative error and better, so 15 digits would leave the reference itself as the
# limiting error. Numbers are therefore written here with sprintf("%.17g"), which parses back to
# the identical double. jsonlite is still used, but only to quote strings and object keys (that
# is exact).
#
# Conventions (test/reference/read-fixture.ts decodes them):
#   numbers        sprintf("%.17g")
#   NA / NaN       null            (also NA in character and logical vectors)
#   +Inf / -Inf    "Infinity" / "-Infinity"   (JSON has no infinities)
#   named list     object; unnamed list: array (one element per line); NULL: null
#   data frame     array of row objects, one per line
#   atomic vector  length 1: a scalar; otherwise an array on one line. Wrap a numeric vector in
#                  vec() to force an array even when it has length 1 (for example a sample of
#                  one, or a site list that may hold a single site).
#
# Usage: the scripts are run from the project root (`Rscript test/reference/<name>.R`, as each of
# them documents), and they already read and write their data through root-relative paths
# ("test/reference/fixtures/...", "examples/example-study"), so they load this file the same way:
#   source("test/reference/json-writer.R")
# Run from anywhere else, that source() fails at once ("cannot open file"), before any output is
# written.

# One number as JSON text.
json_number <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  sprintf("%.17g", x)
}

# Marks a numeric vector to be written as a JSON array even when it has length 1.
vec <- function(x) structure(as.numeric(x), array = TRUE)

# Serialises `x` (nested lists, data frames, atomic vectors) as indented JSON text.
#
# inline_flat: write an object whose members are all scalars on one line,
# `{ "a": 1, "b": 2 }`, instead of one member per line (distributions.R uses this for its
# thousands of table rows). It applies at every depth.
to_json <- function(x, indent = "", inline_flat = FALSE) {
  inner <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.data.frame(x)) x <- lapply(seq_len(nrow(x)), function(i) as.list(x[i, , drop = FALSE]))
  if (is.list(x)) {
    if (length(x) == 0L) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, to_json, character(1), indent = inner, inline_flat = inline_flat)
    if (is.null(names(x))) {
      return(paste0("[\n", inner, paste(items, collapse = paste0(",\n", inner)), "\n", indent, "]"))
    }
    keys <- vapply(names(x), json_string, character(1))
    if (inline_flat && all(vapply(x, function(v) !is.list(v) && length(v) == 1L, logical(1)))) {
      return(paste0("{ ", paste(paste0(keys, ": ", items), collapse = ", "), " }"))
    }
    return(paste0("{\n", inner, paste(paste0(keys, ": ", items), collapse = paste0(",\n", inner)),
                  "\n", indent, "}"))
  }
  if (is.character(x)) {
    return(scalar_or_array(vapply(x, function(v) if (is.na(v)) "null" else json_string(v), character(1)), x))
  }
  if (is.logical(x)) return(scalar_or_array(ifelse(is.na(x), "null", ifelse(x, "true", "false")), x))
  scalar_or_array(vapply(as.numeric(x), json_number, character(1)), x)
}

# Writes `x` to `path` (creating its folder) and says so on stdout.
write_json_fixture <- function(x, path, inline_flat = FALSE) {
  dir.create(dirname(path), showWarnings = FALSE, recursive = TRUE)
  writeLines(to_json(x, inline_flat = inline_flat), path)
  cat(sprintf("wrote %s\n", path))
}

# A fixture's provenance: the script, R's version and the versions of the packages named.
provenance_of <- function(script, packages, note) {
  list(script = script, R = R.version.string,
       packages = setNames(lapply(packages, function(p) as.character(packageVersion(p))), packages),
       note = note)
}

# ---- internals ---------------------------------------------------------------------------------

json_string <- function(s) as.character(jsonlite::toJSON(s, auto_unbox = TRUE))

# `s`: the elements of `x` already as JSON text
scalar_or_array <- function(s, x) {
  if (length(x) == 1L && is.null(attr(x, "array"))) s else paste0("[", paste(s, collapse = ", "), "]")
}
