//! Criterion benches of the analysis, one group a stage (decode, tokenise, match, context,
//! score) plus the whole analysis of one document, over the sample reviews in `data/samples`
//! and the empty article. Throughput is in bytes of input.
//!
//! Each iteration checks a count known before the loop (tokens, mentions, decisions), so a
//! bench that quietly stopped doing its work fails instead of reporting a fine speed.
//!
//! Run: `cargo bench --bench pipeline` (one group: `cargo bench --bench pipeline -- tokenise`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tropescope::context::classify;
use tropescope::input::{decode, Article, InputFormat};
use tropescope::matcher::{find_mentions, MatchScratch};
use tropescope::score::score;
use tropescope::token::{tokenize_into, TokenKind};
use tropescope::Analyzer;

/// (name, file name for format sniffing, raw bytes).
const SAMPLES: &[(&str, &str, &str)] = &[
    (
        "cliche-heavy",
        "cliche-heavy.txt",
        include_str!("../data/samples/cliche-heavy.txt"),
    ),
    (
        "mature-praise",
        "mature-praise.txt",
        include_str!("../data/samples/mature-praise.txt"),
    ),
    (
        "mixed",
        "mixed.txt",
        include_str!("../data/samples/mixed.txt"),
    ),
    (
        "genre-essay",
        "genre-essay.md",
        include_str!("../data/samples/genre-essay.md"),
    ),
    (
        "recap",
        "recap.html",
        include_str!("../data/samples/recap.html"),
    ),
    (
        "listicle",
        "listicle.html",
        include_str!("../data/samples/listicle.html"),
    ),
    (
        "wordpress-post",
        "wordpress-post.json",
        include_str!("../data/samples/wordpress-post.json"),
    ),
    (
        "review-10k",
        "review-10k.txt",
        include_str!("../data/samples/review-10k.txt"),
    ),
    ("empty", "empty.txt", ""),
];

/// A sample decoded to its article (the empty one to an empty article).
fn article(name: &str, file: &str, raw: &str) -> Article {
    decode(raw.as_bytes(), InputFormat::Auto, file)
        .ok()
        .and_then(|mut a| a.pop())
        .unwrap_or_else(|| Article {
            id: name.to_string(),
            title: None,
            text: String::new(),
        })
}

fn analyzer() -> Analyzer {
    Analyzer::embedded().expect("the embedded lexicon compiles")
}

fn decode_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    for &(name, file, raw) in SAMPLES {
        let expected = decode(raw.as_bytes(), InputFormat::Auto, file)
            .map(|a| a[0].text.len())
            .ok();
        g.throughput(Throughput::Bytes(raw.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), raw, |b, raw| {
            b.iter(|| {
                let got = decode(black_box(raw.as_bytes()), InputFormat::Auto, file);
                assert_eq!(got.map(|a| a[0].text.len()).ok(), expected);
            })
        });
    }
    g.finish();
}

fn tokenise_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("tokenise");
    let mut tokens = Vec::new();
    for &(name, file, raw) in SAMPLES {
        let text = article(name, file, raw).text;
        tokenize_into(&text, &mut tokens);
        let expected = tokens.len();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| {
                tokenize_into(black_box(text), &mut tokens);
                assert_eq!(tokens.len(), expected);
            })
        });
    }
    g.finish();
}

fn match_group(c: &mut Criterion) {
    let analyzer = analyzer();
    let lex = analyzer.lexicon();
    let mut g = c.benchmark_group("match");
    let (mut tokens, mut scratch) = (Vec::new(), MatchScratch::default());
    let (mut mentions, mut cues) = (Vec::new(), Vec::new());
    for &(name, file, raw) in SAMPLES {
        let text = article(name, file, raw).text;
        tokenize_into(&text, &mut tokens);
        find_mentions(lex, &text, &tokens, &mut scratch, &mut mentions, &mut cues);
        let expected = (mentions.len(), cues.len());
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| {
                find_mentions(lex, text, &tokens, &mut scratch, &mut mentions, &mut cues);
                assert_eq!((mentions.len(), cues.len()), expected);
            })
        });
    }
    g.finish();
}

fn context_and_score_groups(c: &mut Criterion) {
    let analyzer = analyzer();
    let lex = analyzer.lexicon();
    let (mut tokens, mut scratch) = (Vec::new(), MatchScratch::default());
    let (mut mentions, mut cues) = (Vec::new(), Vec::new());
    let (mut decisions, mut contributions) = (Vec::new(), Vec::new());
    let mut prepared = Vec::new();
    for &(name, file, raw) in SAMPLES {
        let text = article(name, file, raw).text;
        tokenize_into(&text, &mut tokens);
        find_mentions(lex, &text, &tokens, &mut scratch, &mut mentions, &mut cues);
        classify(lex, &text, &tokens, &mentions, &cues, &mut decisions);
        let words = tokens.iter().filter(|t| t.kind == TokenKind::Word).count() as u32;
        let sentences = tokens.last().map_or(0, |t| t.sentence + 1);
        let lean = score(
            lex,
            &mentions,
            &decisions,
            words,
            sentences,
            &mut contributions,
        )
        .lean;
        prepared.push((
            name,
            text,
            tokens.clone(),
            mentions.clone(),
            cues.clone(),
            decisions.clone(),
            (words, sentences, lean),
        ));
    }
    let mut g = c.benchmark_group("context");
    for (name, text, tokens, mentions, cues, expected, _) in &prepared {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                classify(lex, black_box(text), tokens, mentions, cues, &mut decisions);
                assert_eq!(&decisions, expected);
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("score");
    for (name, text, _, mentions, _, decisions, (words, sentences, lean)) in &prepared {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let s = score(
                    lex,
                    black_box(mentions),
                    decisions,
                    *words,
                    *sentences,
                    &mut contributions,
                );
                assert_eq!(s.lean, *lean);
            })
        });
    }
    g.finish();
}

fn analysis_group(c: &mut Criterion) {
    let analyzer = analyzer();
    let mut ws = analyzer.workspace();
    let mut g = c.benchmark_group("analysis");
    for &(name, file, raw) in SAMPLES {
        let expected = {
            let a = analyzer.analyze_with(&mut ws, article(name, file, raw));
            (a.mentions.len(), a.score.lean)
        };
        g.throughput(Throughput::Bytes(raw.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), raw, |b, raw| {
            b.iter(|| {
                // Decode included: the whole analysis of one document as `batch` does it.
                let a = analyzer.analyze_with(&mut ws, article(name, file, black_box(raw)));
                assert_eq!((a.mentions.len(), a.score.lean), expected);
            })
        });
    }
    g.finish();
}

/// The groups, in the order they run (the macro's function has no doc of its own).
#[allow(missing_docs)]
mod groups {
    use super::*;
    criterion_group!(
        benches,
        decode_group,
        tokenise_group,
        match_group,
        context_and_score_groups,
        analysis_group
    );
}
criterion_main!(groups::benches);
