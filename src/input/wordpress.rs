//! WordPress REST API JSON -> articles: one post object, or an array of posts.
//!
//! Only `title.rendered` and `content.rendered` are read; both are HTML and go through
//! [`super::html`]. Everything else a post carries (excerpt, tags, links, SEO fields) is
//! metadata about the article, not its prose, and is ignored.

use serde_json::Value;

use super::{finish, html, Article};
use crate::error::{Error, Result};

/// What to do when a file is JSON but not a WordPress post.
const HINT: &str = "use --input-format text to read the file as plain text";

/// Parses `text` as JSON and decodes the post(s) in it (the tests' way in).
#[cfg(test)]
pub(crate) fn decode(text: &str, name: &str) -> Result<Vec<Article>> {
    let value = parse(text, name)?;
    decode_value(value, name)
}

/// Parses JSON, with an error that says where it broke.
pub(crate) fn parse(text: &str, name: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|err| {
        let message = crate::error::json_message(&err);
        Error::decode(
            name,
            format!(
                "malformed JSON at line {} column {}: {message}",
                err.line(),
                err.column()
            ),
        )
    })
}

/// Whether `value` looks like a post, or an array whose first element does.
pub(crate) fn is_post(value: &Value) -> bool {
    let post = match value {
        Value::Array(posts) => posts.first(),
        other => Some(other),
    };
    post.and_then(|p| p.get("content"))
        .and_then(|c| c.get("rendered"))
        .is_some_and(Value::is_string)
}

/// Decodes an already-parsed post object or array of posts: the first post that cannot be
/// decoded fails the whole. [`decode_each`] keeps the others.
pub(crate) fn decode_value(value: Value, name: &str) -> Result<Vec<Article>> {
    decode_each(value, name)?
        .into_iter()
        .map(|(_, post)| post)
        .collect()
}

/// Decodes an already-parsed post object or array of posts, each post on its own: (its
/// id, as articles and errors name it, and the article or why it could not be had). An
/// export with one image-only post in a hundred is ninety-nine documents and one error,
/// not one error. The outer error is for JSON that is no post at all.
pub(crate) fn decode_each(value: Value, name: &str) -> Result<Vec<(String, Result<Article>)>> {
    match value {
        Value::Object(_) => Ok(vec![(
            name.to_string(),
            post(&value, name.to_string(), "the post"),
        )]),
        Value::Array(posts) => {
            if posts.is_empty() {
                return Err(Error::decode(
                    name,
                    "empty document: the JSON array holds no posts",
                ));
            }
            Ok(posts
                .iter()
                .enumerate()
                .map(|(index, value)| {
                    let id = match value.get("id") {
                        Some(Value::Number(n)) => n.to_string(),
                        Some(Value::String(s)) if !s.is_empty() => s.clone(),
                        _ => (index + 1).to_string(),
                    };
                    let what = format!("post {} of the array", index + 1);
                    let id = format!("{name}#{id}");
                    (id.clone(), post(value, id, &what))
                })
                .collect())
        }
        other => Err(Error::decode(
            name,
            format!(
                "not a WordPress post: the JSON is {}, not an object or an array of posts; {HINT}",
                kind(&other)
            ),
        )),
    }
}

/// Decodes one post; `what` names it in errors ("the post", "post 3 of the array").
fn post(value: &Value, id: String, what: &str) -> Result<Article> {
    if !value.is_object() {
        return Err(Error::decode(
            id,
            format!(
                "not a WordPress post: {what} is {}, not an object; {HINT}",
                kind(value)
            ),
        ));
    }
    let content = match value.get("content") {
        None => return Err(missing(id, what, "content")),
        Some(content) => match content.get("rendered") {
            Some(Value::String(html)) => html,
            Some(other) => {
                return Err(Error::decode(
                    id,
                    format!(
                        "not a WordPress post: \"content.rendered\" in {what} is {}, not a string; {HINT}",
                        kind(other)
                    ),
                ))
            }
            None => return Err(missing(id, what, "content.rendered")),
        },
    };
    let title = value
        .get("title")
        .and_then(|t| t.get("rendered"))
        .and_then(Value::as_str)
        .and_then(|t| {
            let page = html::to_text(t);
            let title = html::collapse_whitespace(&page.body);
            (!title.is_empty()).then_some(title)
        });
    let body = html::to_text(content).body;
    finish(id, title, body)
}

fn missing(id: String, what: &str, field: &str) -> Error {
    Error::decode(
        id,
        format!("not a WordPress post: {what} has no \"{field}\" field; {HINT}"),
    )
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = r#"{
        "id": 42,
        "title": {"rendered": "Ten dramas that skip the amnesia plot &#8211; and don&#8217;t miss it"},
        "content": {"rendered": "<p>No amnesia here.<\/p>\n<p>Just two <em>adults<\/em> talking.<\/p>", "protected": false},
        "excerpt": {"rendered": "<p>EXCERPT TEXT<\/p>"},
        "tags": [7, 9],
        "yoast_head": "<meta name=\"robots\" content=\"YOAST\">"
    }"#;

    #[test]
    fn post_object_gives_title_and_body() {
        let articles = decode(POST, "post.json").expect("decodes");
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(a.id, "post.json");
        let title = "Ten dramas that skip the amnesia plot \u{2013} and don\u{2019}t miss it";
        assert_eq!(a.title.as_deref(), Some(title));
        assert_eq!(
            a.text,
            format!("{title}\n\nNo amnesia here.\n\nJust two adults talking.")
        );
    }

    #[test]
    fn metadata_is_ignored() {
        let a = &decode(POST, "post.json").expect("decodes")[0];
        for metadata in ["EXCERPT", "YOAST", "42", "7"] {
            assert!(!a.text.contains(metadata), "{metadata} in {:?}", a.text);
        }
    }

    #[test]
    fn array_gives_one_article_per_post() {
        let json = r#"[
            {"id": 7, "title": {"rendered": "First"}, "content": {"rendered": "<p>one</p>"}},
            {"title": {"rendered": ""}, "content": {"rendered": "two"}},
            {"id": "slug-3", "content": {"rendered": "three"}}
        ]"#;
        let articles = decode(json, "feed.json").expect("decodes");
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["feed.json#7", "feed.json#2", "feed.json#slug-3"]);
        assert_eq!(articles[0].text, "First\n\none");
        assert_eq!(articles[1].title, None);
        assert_eq!(articles[1].text, "two");
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let msg = decode("{\n  \"content\": {\"rendered\": \"x\",}\n}", "bad.json")
            .expect_err("refused")
            .to_string();
        assert!(
            msg.starts_with("bad.json: malformed JSON at line 2 column"),
            "{msg}"
        );
        assert_eq!(
            msg.matches(" line ").count(),
            1,
            "location given twice: {msg}"
        );
    }

    #[test]
    fn missing_content_is_named() {
        let msg = decode(r#"{"title": {"rendered": "t"}}"#, "x.json")
            .expect_err("refused")
            .to_string();
        assert!(msg.contains("\"content\""), "{msg}");
        assert!(msg.contains("--input-format text"), "{msg}");
        let msg = decode(r#"{"content": {"raw": "t"}}"#, "x.json")
            .expect_err("refused")
            .to_string();
        assert!(msg.contains("\"content.rendered\""), "{msg}");
    }

    #[test]
    fn bad_post_in_array_is_named() {
        let msg = decode(r#"[{"content": {"rendered": "ok"}}, {"id": 5}]"#, "x.json")
            .expect_err("refused")
            .to_string();
        assert!(msg.starts_with("x.json#5: "), "{msg}");
        assert!(msg.contains("post 2 of the array"), "{msg}");
    }

    #[test]
    fn empty_post_is_refused() {
        let msg = decode(
            r#"{"title": {"rendered": "t"}, "content": {"rendered": "<p> </p>"}}"#,
            "x.json",
        )
        .expect_err("refused")
        .to_string();
        assert!(msg.contains("empty document"), "{msg}");
    }

    #[test]
    fn scalar_json_is_not_a_post() {
        let msg = decode("\"just a string\"", "x.json")
            .expect_err("refused")
            .to_string();
        assert!(msg.contains("not a WordPress post"), "{msg}");
    }

    #[test]
    fn is_post_looks_at_the_first_element() {
        let yes: Value = serde_json::from_str(r#"[{"content": {"rendered": "x"}}]"#).expect("json");
        let no: Value = serde_json::from_str(r#"{"content": "x"}"#).expect("json");
        assert!(is_post(&yes));
        assert!(!is_post(&no));
        assert!(!is_post(&Value::Array(vec![])));
    }
}
