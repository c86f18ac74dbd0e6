//! The report page: one self-contained HTML file (inline CSS, inlined SVG plots, no script,
//! no external resource).

use std::fmt::Write;

use serde_json::Value;

use super::{EvaluationReport, ReliabilityTable};

/// The rendered plots to inline.
pub(super) struct Plots<'a> {
    pub(super) confusion: &'a str,
    pub(super) reliability: &'a str,
    pub(super) per_class: &'a str,
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#212529;
 max-width:1160px;margin:24px auto;padding:0 16px;line-height:1.4;background:#fff}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid #dee2e6}
.sub{color:#6c757d;margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0 20px}
.card{border:1px solid #dee2e6;border-radius:6px;padding:8px 16px;min-width:110px}
.card .v{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums}
.card .k{color:#6c757d;font-size:13px}
table{border-collapse:collapse;font-size:14px;margin:6px 0 12px}
th,td{border:1px solid #dee2e6;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f1f3f5;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;border:1px solid #dee2e6;border-radius:6px;padding:6px;max-width:100%}
figcaption{color:#6c757d;font-size:13px;margin-top:4px;contain:inline-size}
svg{display:block;max-width:100%;height:auto}
.mistakes td.text{max-width:520px}
.feat{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px;white-space:nowrap}
.where{color:#6c757d;font-size:12px}
.meta table{margin:0}
.meta td,.meta th{padding:3px 8px}
details{margin:8px 0}
pre{background:#f8f9fa;border:1px solid #dee2e6;padding:8px;overflow:auto;font-size:12px}
";

/// Escapes text for HTML element content and attribute values.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document ready to sit inside HTML, where the SVG namespace is implied.
fn without_namespace(svg: &str) -> String {
    svg.trim()
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn card(out: &mut String, key: &str, value: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"v\">{}</div><div class=\"k\">{}</div></div>",
        escape(value),
        escape(key)
    );
}

/// A JSON number as shown: integers as they are, other numbers with up to 4 decimals.
fn number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Some(f) if f.abs() >= 1e-4 => {
            let s = format!("{f:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => n.to_string(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("—".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(number(n)),
        Value::String(s) => Some(escape(s)),
        _ => None,
    }
}

/// Renders JSON as nested tables: objects as key/value rows, arrays of like objects as a
/// table with a header, arrays of scalars (or of small scalar tuples) inline.
fn json(out: &mut String, v: &Value) {
    if let Some(s) = scalar(v) {
        out.push_str(&s);
        return;
    }
    match v {
        Value::Object(map) => {
            out.push_str("<table>");
            for (k, v) in map {
                let _ = write!(out, "<tr><th>{}</th><td>", escape(k));
                json(out, v);
                out.push_str("</td></tr>");
            }
            out.push_str("</table>");
        }
        Value::Array(items) if items.is_empty() => out.push_str("(none)"),
        Value::Array(items) => {
            if let Some(keys) = same_keys(items) {
                out.push_str("<table><tr>");
                for k in &keys {
                    let _ = write!(out, "<th>{}</th>", escape(k));
                }
                out.push_str("</tr>");
                for item in items {
                    out.push_str("<tr>");
                    for k in &keys {
                        out.push_str("<td>");
                        json(out, &item[k.as_str()]);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</table>");
            } else {
                let parts: Vec<String> = items
                    .iter()
                    .map(|item| match item {
                        Value::Array(inner) if inner.iter().all(|x| scalar(x).is_some()) => inner
                            .iter()
                            .filter_map(scalar)
                            .collect::<Vec<_>>()
                            .join(": "),
                        other => {
                            let mut s = String::new();
                            json(&mut s, other);
                            s
                        }
                    })
                    .collect();
                out.push_str(&parts.join(", "));
            }
        }
        _ => {}
    }
}

/// The keys shared by every item when all items are objects with the same keys.
fn same_keys(items: &[Value]) -> Option<Vec<String>> {
    let first: Vec<String> = items.first()?.as_object()?.keys().cloned().collect();
    items
        .iter()
        .all(|i| {
            i.as_object()
                .is_some_and(|o| o.len() == first.len() && first.iter().all(|k| o.contains_key(k)))
        })
        .then_some(first)
}

/// The whole page.
pub(super) fn page(
    input: &EvaluationReport<'_>,
    table: &ReliabilityTable,
    plots: &Plots<'_>,
) -> String {
    let m = input.metrics;
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>stancekit evaluation: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>stancekit evaluation</h1>\n<p class=\"sub\">{title}</p>\n",
        title = escape(input.title)
    );

    s.push_str("<h2>Metrics</h2>\n<div class=\"cards\">");
    card(&mut s, "rows", &m.n.to_string());
    card(&mut s, "accuracy", &format!("{:.4}", m.accuracy));
    card(&mut s, "macro-F1", &format!("{:.4}", m.macro_f1));
    card(&mut s, "weighted-F1", &format!("{:.4}", m.weighted_f1));
    card(&mut s, "ECE (10 bins)", &format!("{:.4}", table.ece));
    s.push_str("</div>\n<table>\n<tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
    for l in &m.confusion.labels {
        if let Some(c) = m.per_class.get(l) {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.4}</td><td class=\"n\">{}</td></tr>",
                escape(l),
                c.precision,
                c.recall,
                c.f1,
                c.support
            );
        }
    }
    s.push_str("</table>\n");

    s.push_str("<h2>Plots</h2>\n<div class=\"plots\">\n");
    let figures = [
        (
            plots.confusion,
            "Confusion matrix: rows are the true labels, columns the predicted ones; each cell \
             shows its count and its share of the true label's rows, which also sets its colour.",
        ),
        (
            plots.per_class,
            "Precision, recall and F1 of each label; n is the label's number of true rows.",
        ),
        (
            plots.reliability,
            "Reliability diagram: rows binned by the confidence of their prediction; a \
             well-calibrated model's bars reach the diagonal. ECE is the row-weighted mean gap.",
        ),
    ];
    for (svg, caption) in figures {
        let _ = writeln!(
            s,
            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
            without_namespace(svg),
            escape(caption)
        );
    }
    s.push_str("</div>\n");

    s.push_str("<h2>Calibration by confidence bin</h2>\n<table>\n<tr><th>confidence</th><th>rows</th><th>mean confidence</th><th>accuracy</th><th>gap</th></tr>\n");
    for b in table.bins.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            s,
            "<tr><td class=\"n\">{:.1}–{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:+.4}</td></tr>",
            b.lower,
            b.upper,
            b.count,
            b.mean_confidence,
            b.accuracy,
            b.accuracy - b.mean_confidence
        );
    }
    s.push_str("</table>\n");

    let _ = writeln!(
        s,
        "<h2>The {} most confident mistakes</h2>",
        input.mistakes.len()
    );
    if input.mistakes.is_empty() {
        s.push_str("<p>No mistakes.</p>\n");
    } else {
        s.push_str("<table class=\"mistakes\">\n<tr><th>#</th><th>confidence</th><th>true</th><th>predicted</th><th>text</th><th>top features for the prediction (value × weight)</th></tr>\n");
        for (i, x) in input.mistakes.iter().enumerate() {
            let pair = match (x.source.as_deref(), x.target.as_deref()) {
                (Some(s), Some(t)) => format!(" · {} → {}", escape(s), escape(t)),
                (Some(s), None) => format!(" · source: {}", escape(s)),
                (None, Some(t)) => format!(" · target: {}", escape(t)),
                (None, None) => String::new(),
            };
            let features: Vec<String> = x
                .features
                .iter()
                .map(|f| {
                    format!(
                        "<span class=\"feat\">{} {:+.3}</span>",
                        escape(&f.term),
                        f.value * f.weight
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{:.3}</td><td>{}</td><td>{}</td><td class=\"text\">{}<div class=\"where\">{}{}</div></td><td>{}</td></tr>",
                i + 1,
                x.confidence,
                escape(&x.true_label),
                escape(&x.predicted_label),
                escape(&x.text),
                escape(&x.location),
                pair,
                if features.is_empty() {
                    "(none)".to_string()
                } else {
                    features.join("<br>")
                }
            );
        }
        s.push_str("</table>\n");
    }

    s.push_str("<h2>Model metadata</h2>\n<div class=\"meta\">");
    json(&mut s, input.metadata);
    let raw = serde_json::to_string_pretty(input.metadata).unwrap_or_default();
    let _ = write!(
        s,
        "</div>\n<details><summary>metadata as JSON</summary><pre>{}</pre></details>\n",
        escape(&raw)
    );
    s.push_str("</body>\n</html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
    }

    #[test]
    fn json_renders_tables_and_tuples() {
        let v = serde_json::json!({
            "c": 4.0,
            "rate": 0.123456,
            "label_counts": [["hostile", 10], ["supportive", 12]],
            "cv": [{"c": 1.0, "macro_f1": 0.5}, {"c": 4.0, "macro_f1": 0.75}],
            "abstain_below": null,
        });
        let mut s = String::new();
        json(&mut s, &v);
        assert!(s.contains("<th>c</th><td>4</td>"), "{s}");
        assert!(s.contains("0.1235"), "{s}");
        assert!(s.contains("hostile: 10, supportive: 12"), "{s}");
        assert!(
            s.contains("<th>macro_f1</th>") && s.contains("<td>0.75</td>"),
            "{s}"
        );
        assert!(s.contains("—"), "{s}");
    }

    #[test]
    fn inlined_svg_drops_the_namespace() {
        let svg = "<svg width=\"1\" height=\"1\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n";
        assert_eq!(
            without_namespace(svg),
            "<svg width=\"1\" height=\"1\">\n</svg>"
        );
    }
}
