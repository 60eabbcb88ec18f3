//! Reading a corpus for `kwic`, `stats` and `diff`: the corpus options they share, and one
//! loop that decodes and analyses documents in parallel chunks while handing the results
//! back in input order.

use std::path::PathBuf;

use rayon::prelude::*;
use tropescope::corpus::{self, RawRecord, DEFAULT_MAX_BYTES};
use tropescope::{Analysis, Analyzer, Workspace};

use crate::util::CorpusArgs;

/// How to read the corpus: the shared corpus flags, and a cap for quick looks.
#[derive(clap::Args, Debug, Clone)]
pub struct ScanArgs {
    /// How to read the inputs.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Read only the first N documents.
    #[arg(long, value_name = "N")]
    pub docs: Option<u64>,
}

/// One document, analysed by each analyzer in turn (or why it could not be read).
pub struct Done {
    /// File (and line).
    pub source: String,
    /// One analysis per analyzer.
    pub analyses: Result<Vec<Analysis>, String>,
}

/// What a scan read.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scanned {
    /// Documents read (analysed or not).
    pub documents: u64,
    /// Documents that could not be read or decoded (each reported on standard error).
    pub failed: u64,
}

const CHUNK: usize = 256;

/// Read `inputs`, analyse every document with each of `analyzers`, and call `each` with
/// the results in input order.
pub fn scan(
    inputs: &[PathBuf],
    args: &ScanArgs,
    analyzers: &[&Analyzer],
    mut each: impl FnMut(Done) -> anyhow::Result<()>,
) -> anyhow::Result<Scanned> {
    let mut corpus = corpus::open(inputs, &args.corpus.options(Vec::new(), DEFAULT_MAX_BYTES))?;
    let threads = rayon::current_num_threads().max(1);
    let mut pools: Vec<Vec<Workspace>> = (0..threads)
        .map(|_| analyzers.iter().map(|a| a.workspace()).collect())
        .collect();
    let limit = args.docs.unwrap_or(u64::MAX);
    let mut scanned = Scanned::default();
    loop {
        let mut raws: Vec<RawRecord> = Vec::with_capacity(CHUNK);
        while raws.len() < CHUNK && scanned.documents + (raws.len() as u64) < limit {
            match corpus.next_raw() {
                Some(r) => raws.push(r),
                None => break,
            }
        }
        if raws.is_empty() {
            break;
        }
        scanned.documents += raws.len() as u64;
        let per = raws.len().div_ceil(threads);
        let mut groups: Vec<Vec<RawRecord>> = Vec::with_capacity(threads);
        let mut rest = raws.into_iter();
        for _ in 0..threads {
            groups.push(rest.by_ref().take(per).collect());
        }
        let done: Vec<Vec<Done>> = groups
            .into_par_iter()
            .zip(pools.par_iter_mut())
            .map(|(group, ws)| {
                group
                    .into_iter()
                    .map(|raw| {
                        let rec = raw.decode();
                        let analyses = rec.article.map(|article| {
                            let n = analyzers.len();
                            let mut article = Some(article);
                            let mut out = Vec::with_capacity(n);
                            for (i, (a, w)) in analyzers.iter().zip(ws.iter_mut()).enumerate() {
                                let art = if i + 1 == n {
                                    article.take()
                                } else {
                                    article.clone()
                                };
                                if let Some(art) = art {
                                    out.push(a.analyze_with(w, art));
                                }
                            }
                            out
                        });
                        Done {
                            source: rec.source,
                            analyses,
                        }
                    })
                    .collect()
            })
            .collect();
        for d in done.into_iter().flatten() {
            if let Err(e) = &d.analyses {
                eprintln!("tropescope: {}: {e}", d.source);
                scanned.failed += 1;
            }
            each(d)?;
        }
    }
    Ok(scanned)
}

/// Say how long a scan took (on standard error) and choose the exit: 2 when some
/// documents could not be read.
pub fn finish(command: &str, scanned: Scanned, started: std::time::Instant) -> crate::Outcome {
    eprintln!(
        "tropescope: {command} read {} documents in {:.2} s",
        scanned.documents,
        started.elapsed().as_secs_f64()
    );
    if scanned.failed > 0 {
        eprintln!(
            "tropescope: {} documents could not be read (see above)",
            scanned.failed
        );
        crate::Outcome::Failed
    } else {
        crate::Outcome::Ok
    }
}
