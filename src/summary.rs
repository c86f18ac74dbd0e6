//! Dyad summaries: per ordered pair (source → target), and optionally per day, week or month,
//! the number of statements per label, the mean probability per label and a net stance score.
//!
//! The net score of a dyad is the mean over its statements of
//! `p(supportive) + p(reconciliatory) − p(hostile)`, in [-1, 1]: +1 when every statement is
//! surely friendly, −1 when every one is surely hostile.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Time buckets for summaries over dated corpora.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// `YYYY-MM-DD`.
    Day,
    /// ISO week, `YYYY-Www`.
    Week,
    /// `YYYY-MM`.
    Month,
}

impl Period {
    /// The bucket of an ISO date (`YYYY-MM-DD…`); `None` if the date does not parse.
    pub fn bucket(self, date: &str) -> Option<String> {
        let y: i32 = date.get(0..4)?.parse().ok()?;
        let m: u32 = date.get(5..7)?.parse().ok()?;
        let d: u32 = date.get(8..10)?.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some(match self {
            Period::Day => format!("{y:04}-{m:02}-{d:02}"),
            Period::Month => format!("{y:04}-{m:02}"),
            Period::Week => {
                let (wy, w) = iso_week(y, m, d);
                format!("{wy:04}-W{w:02}")
            }
        })
    }
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// ISO-8601 week-numbering year and week of a date.
fn iso_week(y: i32, m: u32, d: u32) -> (i32, u32) {
    let days = days_from_civil(y, m, d);
    let weekday = (days + 3).rem_euclid(7); // Monday = 0
    let thursday = days - weekday + 3;
    let ty = {
        // the year of that Thursday
        let mut ty = y;
        if thursday < days_from_civil(y, 1, 1) {
            ty -= 1;
        } else if thursday >= days_from_civil(y + 1, 1, 1) {
            ty += 1;
        }
        ty
    };
    let week = (thursday - days_from_civil(ty, 1, 1)) / 7 + 1;
    (ty, week as u32)
}

/// One statement's contribution to a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<'a> {
    /// Source actor code.
    pub source: &'a str,
    /// Target actor code.
    pub target: &'a str,
    /// Time bucket, if summarising by period.
    pub period: Option<String>,
    /// The reported label (may be `uncertain`).
    pub label: &'a str,
    /// Probability per model label.
    pub probabilities: &'a [(String, f64)],
}

/// The summary of one dyad (and period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadSummary {
    /// Source actor code.
    pub source: String,
    /// Target actor code.
    pub target: String,
    /// Time bucket, when summarising by period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Number of statements.
    pub statements: usize,
    /// Statements per reported label.
    pub counts: BTreeMap<String, usize>,
    /// Mean probability per model label.
    pub mean_probability: BTreeMap<String, f64>,
    /// Mean of p(supportive) + p(reconciliatory) − p(hostile), in [-1, 1].
    pub net_score: f64,
}

/// Accumulates observations into dyad summaries.
#[derive(Debug, Default)]
pub struct Summarizer {
    groups: BTreeMap<(String, String, Option<String>), Acc>,
}

#[derive(Debug, Default)]
struct Acc {
    n: usize,
    counts: BTreeMap<String, usize>,
    prob_sum: BTreeMap<String, f64>,
    net_sum: f64,
}

/// The signed weight of a label in the net score.
fn polarity(label: &str) -> f64 {
    match label {
        "supportive" | "reconciliatory" => 1.0,
        "hostile" => -1.0,
        _ => 0.0,
    }
}

impl Summarizer {
    /// Adds one statement.
    pub fn add(&mut self, o: &Observation<'_>) {
        let acc = self
            .groups
            .entry((o.source.to_string(), o.target.to_string(), o.period.clone()))
            .or_default();
        acc.n += 1;
        *acc.counts.entry(o.label.to_string()).or_insert(0) += 1;
        for (l, p) in o.probabilities {
            *acc.prob_sum.entry(l.clone()).or_insert(0.0) += p;
            acc.net_sum += polarity(l) * p;
        }
    }

    /// The summaries, ordered by source, target and period.
    pub fn finish(self) -> Vec<DyadSummary> {
        self.groups
            .into_iter()
            .map(|((source, target, period), acc)| {
                let n = acc.n.max(1) as f64;
                DyadSummary {
                    source,
                    target,
                    period,
                    statements: acc.n,
                    counts: acc.counts,
                    mean_probability: acc.prob_sum.into_iter().map(|(l, s)| (l, s / n)).collect(),
                    net_score: (acc.net_sum / n).clamp(-1.0, 1.0),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probs(s: f64, r: f64, h: f64) -> Vec<(String, f64)> {
        vec![
            ("hostile".into(), h),
            ("reconciliatory".into(), r),
            ("supportive".into(), s),
        ]
    }

    #[test]
    fn counts_means_and_net_score() {
        let mut sum = Summarizer::default();
        let a = probs(0.8, 0.1, 0.1);
        let b = probs(0.1, 0.1, 0.8);
        for (label, p) in [("supportive", &a), ("hostile", &b), ("supportive", &a)] {
            sum.add(&Observation {
                source: "HAMAS",
                target: "IRN",
                period: None,
                label,
                probabilities: p,
            });
        }
        let out = sum.finish();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].counts["supportive"], 2);
        assert_eq!(out[0].statements, 3);
        let net = ((0.8 + 0.1 - 0.1) * 2.0 + (0.1 + 0.1 - 0.8)) / 3.0;
        assert!((out[0].net_score - net).abs() < 1e-12);
        assert!((out[0].mean_probability["hostile"] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn periods() {
        assert_eq!(
            Period::Month.bucket("2016-02-19").as_deref(),
            Some("2016-02")
        );
        assert_eq!(
            Period::Day.bucket("2016-02-19T10:00").as_deref(),
            Some("2016-02-19")
        );
        assert_eq!(
            Period::Week.bucket("2016-02-19").as_deref(),
            Some("2016-W07")
        );
        assert_eq!(
            Period::Week.bucket("2021-01-01").as_deref(),
            Some("2020-W53")
        );
        assert_eq!(
            Period::Week.bucket("2024-12-30").as_deref(),
            Some("2025-W01")
        );
        assert_eq!(Period::Month.bucket("yesterday"), None);
    }
}
