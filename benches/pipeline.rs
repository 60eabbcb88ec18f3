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

/// Review-like English prose of about `len` bytes, in our own words, made up by a small
/// deterministic generator: sentences of common words with commas, capitals after ". ",
/// contractions, numbers, quotes, parentheses, the odd "Mr." and "...", and paragraphs split by
/// blank lines as the HTML decoder leaves `<br /><br />`. It stands in for the review corpus
/// (which may not be committed) so the tokeniser bench measures ordinary text.
fn english_reviews(len: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "a",
        "and",
        "of",
        "to",
        "is",
        "in",
        "it",
        "this",
        "that",
        "was",
        "movie",
        "film",
        "for",
        "with",
        "but",
        "as",
        "on",
        "not",
        "you",
        "his",
        "her",
        "he",
        "she",
        "have",
        "be",
        "one",
        "all",
        "at",
        "by",
        "they",
        "who",
        "so",
        "from",
        "like",
        "there",
        "just",
        "about",
        "out",
        "if",
        "what",
        "some",
        "good",
        "more",
        "when",
        "very",
        "even",
        "story",
        "only",
        "really",
        "see",
        "no",
        "time",
        "characters",
        "acting",
        "plot",
        "great",
        "bad",
        "ending",
        "scene",
        "director",
        "watch",
        "people",
        "because",
        "much",
        "well",
        "better",
        "could",
        "would",
        "don't",
        "it's",
        "can't",
        "didn't",
        "I'm",
        "doesn't",
        "actually",
        "probably",
        "performance",
        "beautiful",
        "terrible",
        "boring",
        "wonderful",
        "predictable",
        "script",
        "camera",
        "music",
        "audience",
        "character's",
        "twenty-minute",
        "sequel",
        "original",
    ];
    const NAMES: &[&str] = &[
        "Costner",
        "Hollywood",
        "Smith",
        "Paris",
        "DVD",
        "TV",
        "Jones",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut text = String::with_capacity(len + 200);
    while text.len() < len {
        for _ in 0..3 + rand(6) {
            let words = 4 + rand(22);
            for w in 0..words {
                let word = match rand(40) {
                    0 => NAMES[rand(NAMES.len())].to_string(),
                    1 => format!("{}", 1 + rand(1990)),
                    2 => format!("{}/10", rand(11)),
                    3 => "Mr. Smith".to_string(),
                    _ => WORDS[rand(WORDS.len())].to_string(),
                };
                if w == 0 {
                    let mut c = word.chars();
                    let first = c.next().map(|c| c.to_ascii_uppercase());
                    text.extend(first);
                    text.push_str(c.as_str());
                } else {
                    text.push(' ');
                    match rand(30) {
                        0 => text.push_str(&format!("\"{word}\"")),
                        1 => text.push_str(&format!("({word})")),
                        _ => text.push_str(&word),
                    }
                }
                if w + 1 < words && rand(9) == 0 {
                    text.push(',');
                }
            }
            text.push_str([".", ".", ".", ".", ".", "!", "?", "..."][rand(8)]);
            text.push(' ');
        }
        text.pop();
        text.push_str("\n\n");
    }
    text
}

/// The first `count` reviews of the IMDB corpus, decoded as `batch` decodes them, when the
/// shared corpus is there (`../shared/corpora`, read in place at run time, never copied into
/// the repository); `None` when it is absent.
fn imdb_reviews(count: usize) -> Option<Vec<String>> {
    use std::io::Read;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpora/imdb-maas2011/imdb_reviews.csv.xz"
    );
    let file = std::fs::File::open(path).ok()?;
    let mut raw = Vec::new();
    xz2::read::XzDecoder::new(file)
        .take(count as u64 * 4000)
        .read_to_end(&mut raw)
        .ok()?;
    let mut reader = csv::Reader::from_reader(&raw[..]);
    let column = reader.headers().ok()?.iter().position(|h| h == "text")?;
    let reviews: Vec<String> = reader
        .records()
        .map_while(|r| r.ok())
        .take(count)
        .filter_map(|r| {
            let text = r.get(column)?;
            decode(text.as_bytes(), InputFormat::Auto, "review")
                .ok()
                .and_then(|mut a| a.pop())
                .map(|a| a.text)
        })
        .collect();
    Some(reviews)
}

fn tokenise_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("tokenise");
    let mut tokens = Vec::new();
    let english = english_reviews(300_000);
    tokenize_into(&english, &mut tokens);
    let expected = tokens.len();
    g.throughput(Throughput::Bytes(english.len() as u64));
    g.bench_function("english-300k", |b| {
        b.iter(|| {
            tokenize_into(black_box(&english), &mut tokens);
            assert_eq!(tokens.len(), expected);
        })
    });
    // One call per review, as the batch makes them, over real reviews.
    if let Some(reviews) = imdb_reviews(1000) {
        let expected: usize = reviews
            .iter()
            .map(|r| {
                tokenize_into(r, &mut tokens);
                tokens.len()
            })
            .sum();
        let bytes: usize = reviews.iter().map(String::len).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function("imdb-1000-reviews", |b| {
            b.iter(|| {
                let mut count = 0;
                for r in &reviews {
                    tokenize_into(black_box(r), &mut tokens);
                    count += tokens.len();
                }
                assert_eq!(count, expected);
            })
        });
    }
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
    let mut answers = Vec::new();
    let mut prepared = Vec::new();
    for &(name, file, raw) in SAMPLES {
        let text = article(name, file, raw).text;
        tokenize_into(&text, &mut tokens);
        find_mentions(lex, &text, &tokens, &mut scratch, &mut mentions, &mut cues);
        classify(
            lex,
            &text,
            &tokens,
            &mentions,
            &cues,
            &mut decisions,
            &mut answers,
        );
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
                classify(
                    lex,
                    black_box(text),
                    tokens,
                    mentions,
                    cues,
                    &mut decisions,
                    &mut answers,
                );
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
