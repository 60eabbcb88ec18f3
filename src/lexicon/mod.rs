//! The lexicon model: tropes with their patterns and examples, context cues, and the
//! scoring constants. Everything a curator edits is here as plain data; compiling it into
//! something fast to match is [`compile`]'s job, reading it from files is [`load`]'s.

pub mod compile;
pub mod corpus_stats;
pub mod edit;
pub mod examples;
pub mod lint;
pub mod load;
pub mod pattern;
pub(crate) mod phrases;

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use compile::CompiledLexicon;

/// A trope's family: the axis it scores on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Clichés: using them pulls an article toward `cliche`.
    Cliche,
    /// Mature qualities: having them pulls toward `mature`.
    Mature,
}

impl Family {
    /// The id used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Cliche => "cliche",
            Family::Mature => "mature",
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a mention says about the work under review (see `spec/tropes.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The work uses or contains it.
    Present,
    /// The work avoids, lacks, drops, refuses or breaks from it.
    Absent,
    /// The text speaks of the genre, other works, or hypothetically.
    Generic,
}

impl Status {
    /// All statuses, in report order.
    pub const ALL: [Status; 3] = [Status::Present, Status::Absent, Status::Generic];

    /// The id used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Absent => "absent",
            Status::Generic => "generic",
        }
    }

    /// Parse a status id.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "present" => Some(Status::Present),
            "absent" => Some(Status::Absent),
            "generic" => Some(Status::Generic),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a lexicon example expects of its trope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// Found, and every mention `present`.
    Present,
    /// Found, and every mention `absent`.
    Absent,
    /// Found, and every mention `generic`.
    Generic,
    /// Not found at all.
    None,
}

impl Expect {
    /// The status this expects, or `None` for "must not match".
    pub fn status(self) -> Option<Status> {
        match self {
            Expect::Present => Some(Status::Present),
            Expect::Absent => Some(Status::Absent),
            Expect::Generic => Some(Status::Generic),
            Expect::None => None,
        }
    }

    /// The id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Present => "present",
            Expect::Absent => "absent",
            Expect::Generic => "generic",
            Expect::None => "none",
        }
    }
}

/// A pattern or example as written, with the line it sits on in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file (0 for values not read from a file).
    pub line: usize,
}

/// One example sentence a trope must (or must not) match, as a test case.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The text.
    pub text: String,
    /// What the full pipeline must say of this trope on `text`.
    pub expect: Expect,
    /// 1-based line in the file.
    pub line: usize,
}

/// One trope of the lexicon.
#[derive(Clone, Debug, PartialEq)]
pub struct Trope {
    /// The public id (`spec/tropes.md`), e.g. `wrist-grab`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Axis.
    pub family: Family,
    /// How strongly a mention counts toward its family's score.
    pub weight: f64,
    /// One sentence for people.
    pub description: String,
    /// Whether the trope needs a couple to exist at all (a wrist grab, a love triangle, a
    /// slow burn): its mentions in a long document that says nothing of romance are other
    /// senses of the words ("the hero's grand confession to the police"), dropped by the
    /// topic gate (`crate::topic`).
    pub needs_romance: bool,
    /// Patterns in the pattern language (see `lexicons/README.md`).
    pub patterns: Vec<Located<String>>,
    /// Patterns whose matches veto an overlapping mention of this trope.
    pub exclusions: Vec<Located<String>>,
    /// Test cases.
    pub examples: Vec<Example>,
    /// The file it was read from, relative to the lexicon folder.
    pub file: PathBuf,
}

/// What a context cue does to the mentions in its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CueCategory {
    /// "no", "never", "isn't": the work lacks it → `absent`.
    Negation,
    /// "gone are", "skips", "free of", "rather than": the work avoids it → `absent`.
    Avoidance,
    /// "so many dramas", "the usual", "overused": the genre → `generic`.
    Genre,
    /// "if", "would have", "imagine": not this work's fact → `generic`.
    Hypothetical,
    /// "not only", "no doubt", "not without": look like cues but are not; they mask
    /// the cues they overlap.
    Pseudo,
    /// "but", "however", "although": end the scope of any cue.
    Terminator,
    /// "too", "also", "delivers", "leans into": set no status where they stand; in a
    /// clause that answers a genre statement by turning to the work ("So many dramas end
    /// with a wedding. This one does too."), they say the work has the trope as well.
    Confirm,
}

impl CueCategory {
    /// The id used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CueCategory::Negation => "negation",
            CueCategory::Avoidance => "avoidance",
            CueCategory::Genre => "genre",
            CueCategory::Hypothetical => "hypothetical",
            CueCategory::Pseudo => "pseudo",
            CueCategory::Terminator => "terminator",
            CueCategory::Confirm => "confirm",
        }
    }

    /// The status a mention in this cue's scope takes, for the categories that set one.
    pub fn status(self) -> Option<Status> {
        match self {
            CueCategory::Negation | CueCategory::Avoidance => Some(Status::Absent),
            CueCategory::Genre | CueCategory::Hypothetical => Some(Status::Generic),
            CueCategory::Pseudo | CueCategory::Terminator | CueCategory::Confirm => None,
        }
    }
}

/// Which side of the mention a cue stands on to govern it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The cue stands before the mentions it governs ("no amnesia").
    Before,
    /// The cue stands after them ("love triangles are nowhere to be found").
    After,
    /// Either side.
    Both,
}

/// One context cue.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    /// The cue in the pattern language.
    pub pattern: String,
    /// What it does.
    pub category: CueCategory,
    /// Which side it governs.
    pub direction: Direction,
    /// How many words may stand between the cue and the first mention it governs.
    pub scope: u32,
    /// File, relative to the lexicon folder.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
}

/// The constants of the scoring model and the context engine (`lexicons/model.toml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// An avoided cliché adds `weight × avoided_cliche_credit` to the mature score.
    pub avoided_cliche_credit: f64,
    /// A mature quality the work lacks adds `weight × lacking_mature_credit` to the cliché score.
    pub lacking_mature_credit: f64,
    /// Each further mention of the same (trope, status) adds `weight × repeat_credit`.
    pub repeat_credit: f64,
    /// A maturity index at or above this leans `mature`, at or below its negative `cliche`,
    /// and in between `mixed`.
    pub lean_margin: f64,
    /// How many words (not counting list words) may separate two items of a coordinated list
    /// for a cue's scope to run on from one to the next.
    pub list_gap: u32,
    /// Words that open a new clause when they follow a list item ("he", "she", "they"):
    /// a scope running across a list stops there ("no love triangle, and he ...").
    #[serde(default)]
    pub list_breakers: Vec<String>,
    /// How many words an answer to a question may have for its cue to decide the mentions
    /// the question names ("A love triangle? Not here."); 0 turns the rule off.
    #[serde(default)]
    pub answer_words: u32,
    /// An absence cue that starts among the first this-many words of its sentence opens a
    /// fronted phrase whose scope ends at the comma that closes it ("Rather than X, the
    /// show ..."); 0 turns the rule off.
    #[serde(default)]
    pub fronted_words: u32,
    /// Genre cues that count only as the first word of a sentence that is no question, and
    /// end at their comma: "Where the older show had X, this one ...".
    #[serde(default)]
    pub contrast_openers: Vec<String>,
    /// Words that, right after a comma, correct what a cue named ("no X, just Y"): every
    /// scope ends at that comma.
    #[serde(default)]
    pub corrective_words: Vec<String>,
    /// Words that may follow the cue of a label's verdict (rule 7) without changing what it
    /// says: "Amnesia: gone, thankfully", "The love triangle: none at all". Any other word
    /// after the cue makes the verdict about something else: "Amnesia: cured by a kiss".
    #[serde(default)]
    pub verdict_tails: Vec<String>,
    /// Verbs of removal ("shed", "cure", "fix"): a negation or avoidance scope ends at one,
    /// for negating a removal says that what it would remove stays.
    #[serde(default)]
    pub removal_verbs: Vec<String>,
    /// A document with at least this many genre cues and none of `work_markers` is about
    /// the genre: its mentions no cue reached are `generic`; 0 turns the rule off.
    #[serde(default)]
    pub genre_document_cues: u32,
    /// Verbs that may stand between a cue and a colon that introduces what it governs
    /// ("three things it never does: ...").
    #[serde(default)]
    pub colon_frame_words: Vec<String>,
    /// Word sequences that point at a work under review ("this show", "episode #", where
    /// `#` stands for a number): a document holding one is a review, not a genre essay.
    #[serde(default)]
    pub work_markers: Vec<String>,
    /// Word sequences that point at a work under review only outside a genre statement
    /// ("episode #"): in a sentence that holds a genre cue, "by episode 14" is the genre's
    /// timeline ("every K-drama lead who coughs in episode 3 ..."), not the work's.
    #[serde(default)]
    pub timeline_markers: Vec<String>,
    /// The most words a heading (a line with no closing stop or question mark) may have for
    /// its mentions to take the frame of the list it is an item of; 0 turns the rule off.
    #[serde(default)]
    pub heading_words: u32,
    /// Plural nouns that announce a list of tropes ("seven tropes it refuses to touch"):
    /// the status cue after one is the frame of the headings that follow.
    #[serde(default)]
    pub list_nouns: Vec<String>,
    /// Negation cues that negate the noun phrase they open ("no"): before the scope reaches
    /// a mention, that phrase ends at a comma unless a coordinated list goes on after it
    /// ("no explanation, see you in five years" does not negate what follows the comma).
    #[serde(default)]
    pub phrase_negations: Vec<String>,
    /// The most words a fragment may have: a short sentence opened by a `fragment_openers`
    /// word ("A chaebol heir."). Two or more in a row take the frame of the sentence before
    /// them; 0 turns the rule off.
    #[serde(default)]
    pub fragment_words: u32,
    /// Words that open a fragment: an article before a bare noun phrase ("a", "an").
    #[serde(default)]
    pub fragment_openers: Vec<String>,
    /// Word sequences that turn a clause to the work under review ("here", "this one"):
    /// a clause opened by one (or by a title) after a genre statement may answer it.
    #[serde(default)]
    pub answer_subjects: Vec<String>,
    /// Word sequences that turn a clause to the work under review only in a document that
    /// names one ("it", "the show").
    #[serde(default)]
    pub answer_pronouns: Vec<String>,
    /// Words that expect what follows them (rule 12: "I kept *waiting* for the airport
    /// dash, and it never came"). Compared as written, ASCII case aside.
    #[serde(default)]
    pub expectation_words: Vec<String>,
    /// Verbs (word sequences) that say an expected thing came: "it never *came*", "it
    /// never *shows up*" (rule 12).
    #[serde(default)]
    pub arrival_verbs: Vec<String>,
    /// Endings that make a word of at least five letters that no pattern uses transparent:
    /// phrase patterns read through it, so an adverb inside a described scene does not break
    /// it ("ly": "he *roughly* grabs her wrist"). A pattern that spells such a word makes it
    /// an ordinary word again.
    #[serde(default)]
    pub transparent_endings: Vec<String>,
    /// Words with a transparent ending that stay ordinary words: nouns and verbs ("family",
    /// "apply").
    #[serde(default)]
    pub opaque_words: Vec<String>,
    /// Whether the learned stage runs (when the lexicon has a `learned.tsv`): a trained
    /// classifier's mentions of tropes the patterns missed (see `crate::learned`). Off
    /// when not given, so a lexicon folder without the line behaves as it did before.
    #[serde(default)]
    pub learned: bool,
    /// The topic gate (`crate::topic`): a document of at least this many words that holds
    /// none of `romance_words` is about something else, and its mentions of the tropes
    /// marked `needs_romance` are dropped; 0 turns the gate off. Short passages are left
    /// alone: a two-line comment about a wrist grab need not say "romance".
    #[serde(default)]
    pub romance_gate_words: u32,
    /// Word sequences that show a document speaks of romance or of dramas ("love story",
    /// "kiss", "k-drama"). Compared as written (lower-cased, not stemmed): list each form.
    #[serde(default)]
    pub romance_words: Vec<String>,
}

impl Default for Model {
    fn default() -> Model {
        Model {
            avoided_cliche_credit: 0.6,
            lacking_mature_credit: 0.6,
            repeat_credit: 0.25,
            lean_margin: 0.2,
            list_gap: 3,
            list_breakers: Vec::new(),
            answer_words: 0,
            fronted_words: 0,
            contrast_openers: Vec::new(),
            corrective_words: Vec::new(),
            verdict_tails: Vec::new(),
            removal_verbs: Vec::new(),
            genre_document_cues: 0,
            colon_frame_words: Vec::new(),
            work_markers: Vec::new(),
            timeline_markers: Vec::new(),
            heading_words: 0,
            list_nouns: Vec::new(),
            phrase_negations: Vec::new(),
            fragment_words: 0,
            fragment_openers: Vec::new(),
            answer_subjects: Vec::new(),
            answer_pronouns: Vec::new(),
            expectation_words: Vec::new(),
            arrival_verbs: Vec::new(),
            transparent_endings: Vec::new(),
            opaque_words: Vec::new(),
            learned: false,
            romance_gate_words: 0,
            romance_words: Vec::new(),
        }
    }
}

/// A whole lexicon set: tropes, cues, model constants, and the fingerprint that names it.
#[derive(Clone, Debug)]
pub struct Lexicon {
    /// Tropes, sorted by id.
    pub tropes: Vec<Trope>,
    /// Context cues, in file order.
    pub cues: Vec<Cue>,
    /// Scoring and context constants.
    pub model: Model,
    /// The learned stage's model file (`learned.tsv`), if the folder has one: parsed when
    /// the stage is compiled or the lexicon is checked, not by every run with the stage off.
    pub learned: Option<crate::learned::ModelSource>,
    /// Hex SHA-256 prefix of the files (path and content), identifying the set in reports.
    pub fingerprint: String,
    /// Where it came from: a folder, or `embedded`.
    pub origin: String,
    /// The folder its files' paths are relative to, for naming them in errors (`lexicons`
    /// for the embedded set, this repository's folder).
    pub base: std::path::PathBuf,
}

impl Lexicon {
    /// Turn the learned stage on or off whatever `model.toml` says (`None`: as it says).
    /// Where that overrides the file, the fingerprint gains `+learned` or `-learned`, so a
    /// report still says what produced it.
    pub fn switch_learned(&mut self, on: Option<bool>) {
        if let Some(on) = on.filter(|&on| on != self.model.learned) {
            self.model.learned = on;
            self.fingerprint += if on { "+learned" } else { "-learned" };
        }
    }

    /// The trope with this id.
    pub fn trope(&self, id: &str) -> Option<&Trope> {
        self.tropes
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.tropes[i])
    }
}
