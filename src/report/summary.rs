//! The per-group summary of a batch run (`batch --group-by COLUMN --summary FILE`): one row
//! per value of a kept column (a show, a reviewer), with document counts, mean scores, lean
//! counts and the tropes most often found with each status.

use std::collections::BTreeMap;
use std::io;

use crate::lexicon::{CompiledLexicon, Status};
use crate::pipeline::Analysis;
use crate::score::Lean;

/// Columns of the summary table, in order.
pub const SUMMARY_COLUMNS: &[&str] = &[
    "group",
    "documents",
    "ok",
    "errors",
    "mean_cliche_score",
    "mean_mature_score",
    "mean_maturity_index",
    "lean_mature",
    "lean_cliche",
    "lean_mixed",
    "lean_none",
    "top_present",
    "top_absent",
    "top_generic",
];

/// How many tropes the `top_*` columns list.
pub const TOP: usize = 5;

/// What one document adds to its group: small, so it can travel between threads.
#[derive(Clone, Debug, Default)]
pub struct GroupEntry {
    /// The group's value.
    pub group: String,
    /// Scores (cliché, mature, maturity index) and lean; `None` for a failed document.
    pub score: Option<(f64, f64, f64, Lean)>,
    /// Distinct trope indexes found per status (present, absent, generic).
    pub tropes: [Vec<u16>; 3],
}

impl GroupEntry {
    /// The entry of an analysed document.
    pub fn of(group: String, a: &Analysis) -> GroupEntry {
        let s = &a.score;
        let mut tropes: [Vec<u16>; 3] = Default::default();
        for (t, status) in a.pairs() {
            tropes[status_slot(status)].push(t);
        }
        GroupEntry {
            group,
            score: Some((s.cliche, s.mature, s.maturity_index, s.lean)),
            tropes,
        }
    }

    /// The entry of a failed document.
    pub fn failed(group: String) -> GroupEntry {
        GroupEntry {
            group,
            ..GroupEntry::default()
        }
    }
}

fn status_slot(s: Status) -> usize {
    match s {
        Status::Present => 0,
        Status::Absent => 1,
        Status::Generic => 2,
    }
}

#[derive(Default)]
struct Group {
    documents: u64,
    ok: u64,
    sums: [f64; 3],
    leans: [u64; 4],
    tropes: [BTreeMap<u16, u64>; 3],
}

/// Accumulates [`GroupEntry`]s; memory grows with the number of groups, not documents.
#[derive(Default)]
pub struct GroupSummary {
    groups: BTreeMap<String, Group>,
}

impl GroupSummary {
    /// Add one document.
    pub fn add(&mut self, e: GroupEntry) {
        let g = self.groups.entry(e.group).or_default();
        g.documents += 1;
        if let Some((c, m, i, lean)) = e.score {
            g.ok += 1;
            g.sums[0] += c;
            g.sums[1] += m;
            g.sums[2] += i;
            g.leans[match lean {
                Lean::Mature => 0,
                Lean::Cliche => 1,
                Lean::Mixed => 2,
                Lean::None => 3,
            }] += 1;
        }
        for (slot, ids) in e.tropes.iter().enumerate() {
            for &t in ids {
                *g.tropes[slot].entry(t).or_default() += 1;
            }
        }
    }

    /// The summary rows, sorted by group value.
    pub fn rows(&self, lex: &CompiledLexicon) -> Vec<Vec<String>> {
        let mean = |sum: f64, n: u64| {
            if n == 0 {
                String::new()
            } else {
                format!("{}", super::json::round(sum / n as f64))
            }
        };
        self.groups
            .iter()
            .map(|(name, g)| {
                let top = |slot: usize| {
                    let mut v: Vec<(u16, u64)> =
                        g.tropes[slot].iter().map(|(&t, &n)| (t, n)).collect();
                    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    v.iter()
                        .take(TOP)
                        .map(|&(t, n)| format!("{}:{n}", lex.trope(t).id))
                        .collect::<Vec<_>>()
                        .join(";")
                };
                let mut row = vec![
                    name.clone(),
                    g.documents.to_string(),
                    g.ok.to_string(),
                    (g.documents - g.ok).to_string(),
                    mean(g.sums[0], g.ok),
                    mean(g.sums[1], g.ok),
                    mean(g.sums[2], g.ok),
                ];
                row.extend(g.leans.iter().map(u64::to_string));
                row.extend((0..3).map(top));
                row
            })
            .collect()
    }

    /// Write the summary as CSV with a header.
    pub fn write_csv<W: io::Write>(&self, out: W, lex: &CompiledLexicon) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(SUMMARY_COLUMNS).map_err(io::Error::other)?;
        for row in self.rows(lex) {
            w.write_record(row).map_err(io::Error::other)?;
        }
        w.flush()
    }

    /// Write the summary as JSON Lines.
    pub fn write_jsonl<W: io::Write>(&self, mut out: W, lex: &CompiledLexicon) -> io::Result<()> {
        for row in self.rows(lex) {
            super::jsonl::write_row(&mut out, SUMMARY_COLUMNS, &row)?;
        }
        out.flush()
    }
}
