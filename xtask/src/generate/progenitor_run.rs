//! Running progenitor on the normalized document, without ever letting one of
//! its panics (`todo!`, `assert!`, `unwrap` on shapes it does not support)
//! take the xtask down.
//!
//! A document that generates is read into openapiv3's model once and given
//! to three progenitor runs: the positional client, the httpmock helpers and
//! the builder-style client (for its types). typify converts the component
//! schemas twice, not three times: progenitor's `httpmock` converts them
//! again before anything else, so it runs on the client's generator, whose
//! typify already holds them, with the schemas left out of its input (but
//! those a request body names, which progenitor looks up itself). The
//! builder style needs a generator of its own (typify makes struct builders
//! only in a generator made for that style).
//!
//! When the client fails, the component schemas are tried on their own
//! first (progenitor converts every one whatever the operations use, so one
//! schema typify cannot convert fails every operation), and those that fail
//! alone are made untyped; then the operations at fault are found and left
//! out (see [`fallbacks`]), each named with its JSON pointer and
//! progenitor's message. The document the runs end with, what the generated
//! crate was made from, is part of the output. Only a failure nothing of
//! this explains is an error.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;

use super::fallbacks::{self, UntypedSchema};
use crate::document::{deref, operations};
use crate::json_pointer::schema_name;
use crate::normalize::SkippedOperation;

/// What progenitor produced for one document.
#[derive(Debug)]
pub struct ProgenitorOutput {
    pub client: TokenStream,
    pub httpmock: TokenStream,
    /// The same document generated in progenitor's builder style, whose
    /// `types` module carries typify's struct builders (see the
    /// `type_builders` rewrite), or why that generation failed.
    pub builder_style: Result<TokenStream, String>,
    /// Operations left out, with the reason.
    pub skipped: Vec<SkippedOperation>,
    /// Component schemas typify could not convert, generated as
    /// `serde_json::Value` or without their defaults.
    pub untyped: Vec<UntypedSchema>,
    /// The document the three outputs were generated from: the input
    /// without what was skipped or made untyped.
    pub document: Value,
    /// How many times progenitor ran, trials included.
    pub runs: usize,
    /// How many times a document was deserialized into openapiv3's model,
    /// trials included.
    pub parses: usize,
    /// How many times typify converted a document's component schemas,
    /// trials included.
    pub conversions: usize,
}

/// The generator settings every crate is generated with, in `interface`
/// style: typify generates struct builders only when progenitor's interface
/// is the builder style, so the types are generated a second time in that
/// style.
fn settings(interface: InterfaceStyle) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(interface)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema");
    settings
}

/// Generates the client, httpmock and builder-style token streams for
/// `document` (the normalized JSON), leaving out what progenitor cannot
/// handle.
pub fn generate(document: &Value, client_crate_path: &str) -> Result<ProgenitorOutput, String> {
    let costs = Costs::default();
    // A document openapiv3 cannot read is an error in the spec (or in a
    // pass), not something to work around by skipping.
    let spec = costs.parse(document)?;
    let mut document = document.clone();
    let (mut untyped, mut skipped) = (Vec::new(), Vec::new());
    let (mut spec, mut generator, mut client) = match costs.client(&spec) {
        Ok((generator, client)) => (spec, generator, client),
        Err(failure) => client_despite(&costs, &mut document, failure, &mut untyped, &mut skipped)?,
    };
    let mut httpmock = costs.httpmock(&mut generator, &mut spec, &document, client_crate_path);
    if httpmock.is_err() {
        // The client generates; the httpmock helpers of some operation do
        // not. Those operations go from both crates.
        let probe = |doc: &Value| {
            let mut spec = costs.parse(doc)?;
            let (mut generator, _) = costs.client(&spec)?;
            costs
                .httpmock(&mut generator, &mut spec, doc, client_crate_path)
                .map(drop)
        };
        skipped.extend(fallbacks::skip_failing_operations(
            &mut document,
            &probe,
            false,
            &mut untyped,
        ));
        spec = costs.parse(&document)?;
        (generator, client) = costs.client(&spec)?;
        httpmock = costs.httpmock(&mut generator, &mut spec, &document, client_crate_path);
    }
    let httpmock = httpmock.map_err(|e| format!("progenitor's httpmock generation failed: {e}"))?;
    let builder_style = costs.builder_style(&spec);
    Ok(ProgenitorOutput {
        client,
        httpmock,
        builder_style,
        skipped,
        untyped,
        document,
        runs: costs.runs.get(),
        parses: costs.parses.get(),
        conversions: costs.conversions.get(),
    })
}

/// The client of `document` once what progenitor cannot handle is left out
/// of it (into `untyped` and `skipped`), after it failed on the whole with
/// `failure`; with the document read as it ends up, and its generator.
fn client_despite(
    costs: &Costs,
    document: &mut Value,
    failure: String,
    untyped: &mut Vec<UntypedSchema>,
    skipped: &mut Vec<SkippedOperation>,
) -> Result<(OpenAPI, Generator, TokenStream), String> {
    let probe = |doc: &Value| {
        costs
            .parse(doc)
            .and_then(|spec| costs.client(&spec))
            .map(drop)
    };
    let read_client = |document: &Value| {
        let spec = costs.parse(document)?;
        Ok::<_, String>(
            costs
                .client(&spec)
                .map(|(generator, tokens)| (spec, generator, tokens)),
        )
    };
    let mut client = Err(failure.clone());
    if probe(&without_operations(document)).is_err() {
        untyped.extend(fallbacks::untype_failing_schemas(document, &probe));
        client = read_client(document)?;
    }
    // Trials on the operations' own components first; should the whole
    // document still fail (something only all of it together shows),
    // trials on the whole document.
    for reduced in [true, false] {
        if client.is_ok() {
            break;
        }
        skipped.extend(fallbacks::skip_failing_operations(
            document, &probe, reduced, untyped,
        ));
        client = read_client(document)?;
    }
    client.map_err(|e| {
        format!(
            "progenitor failed on the document as a whole ({failure}), and still after leaving \
             out the operations it fails on: {e}"
        )
    })
}

/// `document` with no operations: only its components.
fn without_operations(document: &Value) -> Value {
    let mut copy = document.clone();
    if let Some(paths) = copy.get_mut("paths") {
        *paths = Value::Object(serde_json::Map::new());
    }
    copy
}

/// Every progenitor run, counting what it costs.
#[derive(Default)]
struct Costs {
    runs: Cell<usize>,
    parses: Cell<usize>,
    conversions: Cell<usize>,
}

impl Costs {
    fn parse(&self, document: &Value) -> Result<OpenAPI, String> {
        self.parses.set(self.parses.get() + 1);
        parse(document)
    }

    /// The positional client for `spec`, and the generator that made it.
    fn client(&self, spec: &OpenAPI) -> Result<(Generator, TokenStream), String> {
        self.client_in(spec, InterfaceStyle::Positional, "client")
    }

    /// The client in progenitor's builder style, for its `types` module.
    fn builder_style(&self, spec: &OpenAPI) -> Result<TokenStream, String> {
        self.client_in(spec, InterfaceStyle::Builder, "builder-style client")
            .map(|(_, tokens)| tokens)
    }

    fn client_in(
        &self,
        spec: &OpenAPI,
        interface: InterfaceStyle,
        what: &str,
    ) -> Result<(Generator, TokenStream), String> {
        self.runs.set(self.runs.get() + 1);
        self.conversions.set(self.conversions.get() + 1);
        let started = std::time::Instant::now();
        let result = quietly(|| {
            let mut generator = Generator::new(&settings(interface));
            let tokens = generator.generate_tokens(spec).map_err(|e| e.to_string())?;
            Ok((generator, tokens))
        });
        trace(what, spec, started, &result);
        result
    }

    /// progenitor's httpmock helpers for `spec` (read from `document`), made
    /// by the `generator` of its client. `httpmock` converts the component
    /// schemas first, as `generate_tokens` did: the run gets a spec without
    /// them (typify finds each `$ref` among the types it already has), but
    /// for the schemas a request body names, which progenitor looks up in
    /// the spec itself (a text or binary body's).
    fn httpmock(
        &self,
        generator: &mut Generator,
        spec: &mut OpenAPI,
        document: &Value,
        client_crate_path: &str,
    ) -> Result<TokenStream, String> {
        self.runs.set(self.runs.get() + 1);
        let started = std::time::Instant::now();
        let all = spec
            .components
            .as_mut()
            .map(|components| std::mem::take(&mut components.schemas));
        if let (Some(components), Some(all)) = (spec.components.as_mut(), &all) {
            let named = body_schemas(document);
            components.schemas = all
                .iter()
                .filter(|(name, _)| named.contains(*name))
                .map(|(name, schema)| (name.clone(), schema.clone()))
                .collect();
        }
        let result = quietly(|| {
            generator
                .httpmock(spec, client_crate_path)
                .map_err(|e| e.to_string())
        });
        if let (Some(components), Some(all)) = (spec.components.as_mut(), all) {
            components.schemas = all;
        }
        trace("httpmock", spec, started, &result);
        result
    }
}

/// The component schemas a request body's media type names by `$ref`.
fn body_schemas(document: &Value) -> std::collections::BTreeSet<String> {
    operations(document)
        .iter()
        .filter_map(|op| deref(document, op.operation.get("requestBody")?))
        .filter_map(|body| body.get("content").and_then(Value::as_object))
        .flat_map(|content| content.values())
        .filter_map(|media| media.get("schema")?.get("$ref")?.as_str())
        .filter_map(schema_name)
        .collect()
}

/// With `XTASK_TRACE` set, one line per progenitor run on stderr: what the
/// search for failing schemas and operations is doing on a large spec.
fn trace<T>(what: &str, spec: &OpenAPI, started: std::time::Instant, result: &Result<T, String>) {
    if !crate::trace::enabled() {
        return;
    }
    eprintln!(
        "trace: progenitor {what} run, {} path(s), {} schema(s): {} in {:.3}s",
        spec.paths.paths.len(),
        spec.components.as_ref().map_or(0, |c| c.schemas.len()),
        match result {
            Ok(_) => "ok".to_owned(),
            Err(e) => e
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(150)
                .collect(),
        },
        started.elapsed().as_secs_f64()
    );
}

/// Deserializes the normalized JSON into openapiv3's model, naming the JSON
/// path of the first value it rejects.
pub fn parse(document: &Value) -> Result<OpenAPI, String> {
    serde_path_to_error::deserialize(document).map_err(|e| {
        let path = e.path().to_string();
        format!(
            "the normalized document is not valid OpenAPI 3.0 at `{path}`: {}",
            e.inner()
        )
    })
}

thread_local! {
    /// This thread is inside [`quietly`]: its panics are results, not news.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into an `Err` with the panic's message, and
/// keeping the panic hook from printing it.
///
/// The hook is process-wide, so it is installed once, and stays quiet only
/// for threads inside `quietly`: generations on other threads (the corpus
/// generates two specs at a time) neither wait for each other nor silence
/// a panic elsewhere.
fn quietly<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    let was_quiet = QUIET.with(|quiet| quiet.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|quiet| quiet.set(was_quiet));
    match result {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(format!("progenitor panicked: {message}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn operation(id: &str, response_schema: Value) -> Value {
        json!({"post": {"operationId": id, "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": response_schema}}}}}})
    }

    fn document(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn a_valid_document_takes_three_runs_and_is_read_as_it_is() {
        let doc = document(json!({"/a": operation("make-a", json!({"type": "string"}))}));
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty());
        assert!(output.client.to_string().contains("make_a"));
        assert!(output.httpmock.to_string().contains("MakeAWhen"));
        assert!(output.builder_style.is_ok());
        assert_eq!(output.runs, 3, "client, httpmock and builder style");
        assert_eq!(output.parses, 1);
        assert_eq!(
            output.conversions, 2,
            "the httpmock run reuses the client's types"
        );
        assert_eq!(output.document, doc);
    }

    /// The httpmock run on the client's generator, without the component
    /// schemas, gives what a generator of its own gives with them: bodies
    /// and responses by `$ref` (a text body's schema too, which progenitor
    /// looks up itself), inline bodies, path parameters.
    #[test]
    fn httpmock_on_the_clients_generator_is_what_a_fresh_one_makes() {
        let mut doc = document(json!({
            "/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"$ref": "#/components/schemas/Id"}}],
                "post": {"operationId": "make-a",
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"}}}}}},
                "put": {"operationId": "put-text",
                    "requestBody": {"content": {"text/plain": {
                        "schema": {"$ref": "#/components/schemas/Text"}}}},
                    "responses": {"204": {"description": "none"}}}
            }
        }));
        doc["components"] = json!({"schemas": {
            "Id": {"type": "string"},
            "N": {"type": "integer", "enum": [1, 2]},
            "Text": {"type": "string"},
            "Thing": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}}
        }});
        let costs = Costs::default();
        let mut spec = costs.parse(&doc).unwrap();
        let (mut generator, _) = costs.client(&spec).unwrap();
        let shared = costs
            .httpmock(&mut generator, &mut spec, &doc, "api")
            .unwrap();
        let fresh = Generator::new(&settings(InterfaceStyle::Positional))
            .httpmock(&spec, "api")
            .unwrap();
        assert_eq!(shared.to_string(), fresh.to_string());
        assert_eq!(spec, costs.parse(&doc).unwrap(), "the schemas are put back");
    }

    #[test]
    fn skips_the_operation_progenitor_panics_on_and_keeps_the_rest() {
        // Two request media types: progenitor hits a `todo!`.
        let mut bad = operation("bad-op", json!({"type": "string"}));
        bad["post"]["requestBody"] = json!({"content": {
            "application/json": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}}
        }});
        let doc =
            document(json!({"/a": operation("good-op", json!({"type": "string"})), "/b": bad}));
        let output = generate(&doc, "api").unwrap();
        assert_eq!(output.skipped.len(), 1);
        assert_eq!(output.skipped[0].operation_id, "bad-op");
        assert_eq!(output.skipped[0].pointer, "/paths/~1b/post");
        assert!(
            output.skipped[0].reason.contains("panicked"),
            "{}",
            output.skipped[0].reason
        );
        let client = output.client.to_string();
        assert!(client.contains("good_op") && !client.contains("bad_op"));
        // What progenitor read no longer has it.
        assert!(output.document["paths"].get("/b").is_none());
        assert!(output.document["paths"].get("/a").is_some());
    }

    #[test]
    fn a_schema_typify_cannot_convert_becomes_untyped_and_the_rest_is_kept() {
        // typify validates patterns with regress; an unclosed group fails it.
        let mut doc = document(
            json!({"/a": operation("get-a", json!({"$ref": "#/components/schemas/Uses"}))}),
        );
        doc["components"] = json!({"schemas": {
            "Bad": {"type": "string", "pattern": "(", "description": "Kept."},
            "Uses": {"type": "object", "properties": {"bad": {"$ref": "#/components/schemas/Bad"},
                                                        "good": {"type": "string"}}}
        }});
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty());
        assert_eq!(output.untyped.len(), 1, "{:?}", output.untyped);
        assert_eq!(output.untyped[0].pointer, "/components/schemas/Bad");
        let client = output.client.to_string();
        assert!(
            client.contains("get_a") && client.contains("pub struct Uses"),
            "{client}"
        );
        assert_eq!(
            output.document["components"]["schemas"]["Bad"],
            json!({"description": "Kept."})
        );
    }

    #[test]
    fn every_failing_schema_is_found() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "string", "pattern": "("},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
            "C": {"type": "string"},
            "D": {"type": "integer", "default": "x"},
            "E": {"items": {"$ref": "#/components/schemas/D"}}
        }}});
        let mut doc_full = document(json!({}));
        doc_full["components"] = doc.take()["components"].take();
        let costs = Costs::default();
        let probe = |doc: &Value| costs.parse(doc).and_then(|s| costs.client(&s)).map(drop);
        let untyped = fallbacks::untype_failing_schemas(&mut doc_full, &probe);
        let found: Vec<_> = untyped
            .iter()
            .map(|u| (u.pointer.as_str(), u.kept_type))
            .collect();
        assert_eq!(
            found,
            [
                ("/components/schemas/A", false),
                ("/components/schemas/D", true)
            ]
        );
        assert_eq!(
            doc_full["components"]["schemas"]["D"],
            json!({"type": "integer"}),
            "only the default went"
        );
        assert_eq!(doc_full["components"]["schemas"]["A"], json!({}));
        assert!(probe(&doc_full).is_ok());
    }

    #[test]
    fn every_failing_operation_is_skipped_in_few_runs() {
        // progenitor panics on a body with two media types (the
        // normalization keeps one; this document skips it).
        let bad = |id: &str| {
            let mut op = operation(id, json!({"type": "string"}));
            op["post"]["requestBody"] = json!({"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Body"}},
                "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
            }});
            op
        };
        let good = |id: &str| operation(id, json!({"type": "string"}));
        let mut doc = document(json!({
            "/a": good("a"), "/b": bad("b"), "/c": good("c"), "/d": good("d"),
            "/e": bad("e"), "/f": good("f")
        }));
        doc["components"] = json!({"schemas": {"Body": {"type": "object"}}});
        let output = generate(&doc, "api").unwrap();
        let skipped: Vec<_> = output
            .skipped
            .iter()
            .map(|s| s.operation_id.as_str())
            .collect();
        assert_eq!(skipped, ["b", "e"]);
        assert!(
            output.skipped[0].reason.contains("more media types"),
            "{:?}",
            output.skipped
        );
        assert!(output.runs <= 20, "{} runs", output.runs);
        let client = output.client.to_string();
        for id in ["a", "c", "d", "f"] {
            assert!(client.contains(&format!("pub async fn {id}")), "{id}");
        }
    }

    #[test]
    fn an_operation_failing_only_for_a_default_keeps_its_type() {
        // typify makes this `anyOf` a struct of optional branches, which a
        // string default cannot be.
        let mut op = operation("get-a", json!({"type": "string"}));
        op["post"]["parameters"] = json!([{"name": "team", "in": "query", "schema": {
            "anyOf": [{"type": "string", "format": "uuid"}, {"type": "string", "enum": ["auto"]}],
            "default": "auto"
        }}]);
        let output = generate(&document(json!({"/a": op})), "api").unwrap();
        assert!(output.skipped.is_empty(), "{:?}", output.skipped);
        assert_eq!(output.untyped.len(), 1, "{:?}", output.untyped);
        assert_eq!(output.untyped[0].pointer, "/paths/~1a/post");
        assert!(output.untyped[0].kept_type);
        assert!(output.client.to_string().contains("pub async fn get_a"));
    }

    /// Every Rust keyword, strict or reserved in some edition.
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do",
        "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
        "return", "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe",
        "unsized", "use", "virtual", "where", "while", "yield",
    ];

    fn idents(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Ident(ident) => {
                    out.insert(ident.to_string());
                }
                proc_macro2::TokenTree::Group(group) => idents(group.stream(), out),
                _ => {}
            }
        }
    }

    /// The generated code needs no rewrite for keywords: typify and
    /// progenitor rename a spec name that is a keyword of any edition,
    /// `gen` (reserved since 2024) included, with a trailing `_`. (An
    /// earlier rewrite made such identifiers raw; it never fired.)
    #[test]
    fn spec_names_that_are_keywords_never_reach_the_code_bare() {
        let strings = |names: &[&str]| -> serde_json::Map<String, Value> {
            names
                .iter()
                .map(|n| ((*n).to_owned(), json!({"type": "string"})))
                .collect()
        };
        let mut paths = serde_json::Map::new();
        for keyword in KEYWORDS {
            paths.insert(
                format!("/{keyword}/{{{keyword}}}"),
                json!({"post": {
                    "operationId": keyword,
                    "parameters": [
                        {"name": keyword, "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": format!("q-{keyword}"), "in": "query", "schema": {"type": "string"}}
                    ],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/gen"}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "object", "properties": strings(KEYWORDS)}}}}}
                }}),
            );
        }
        let mut schemas = serde_json::Map::new();
        schemas.insert(
            "gen".to_owned(),
            json!({"type": "object", "properties": strings(KEYWORDS), "required": KEYWORDS}),
        );
        schemas.insert(
            "Values".to_owned(),
            json!({"type": "string", "enum": KEYWORDS}),
        );
        let mut doc = document(Value::Object(paths));
        doc["components"] = json!({"schemas": schemas});
        let output = generate(&doc, "api").unwrap();
        assert!(output.skipped.is_empty() && output.untyped.is_empty());
        let mut found = std::collections::BTreeSet::new();
        idents(output.client, &mut found);
        idents(output.httpmock, &mut found);
        idents(output.builder_style.unwrap(), &mut found);
        // Keywords the generated code never uses as keywords: none may
        // appear at all, and each spec name came out renamed.
        for keyword in [
            "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
            "typeof", "unsized", "virtual", "yield",
        ] {
            assert!(
                !found.contains(keyword),
                "bare `{keyword}` in the generated code"
            );
            assert!(found.contains(&format!("{keyword}_")), "no `{keyword}_`");
        }
        assert!(
            found.iter().all(|ident| !ident.starts_with("r#")),
            "a raw identifier"
        );
        assert!(found.contains("type_") && found.contains("fn_") && found.contains("Gen"));
    }

    #[test]
    fn invalid_documents_are_errors_naming_where() {
        let doc = document(
            json!({"/a": {"post": {"operationId": "x", "responses": {"200": {"description": 7}}}}}),
        );
        let err = generate(&doc, "api").unwrap_err();
        assert!(err.contains("not valid OpenAPI 3.0 at `paths`"), "{err}");
        assert!(
            err.contains("invalid type: integer `7`, expected a string"),
            "{err}"
        );
    }
}
