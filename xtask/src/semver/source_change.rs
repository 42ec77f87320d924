//! How a crate's sources changed: not at all, in their documentation only,
//! or in code. A reworded description changes doc comments (and the
//! summaries in the `OPERATIONS` table), never what code compiles against,
//! so it calls for no release; any other change is at least an addition.

use std::path::PathBuf;

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

/// The least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceChange {
    Unchanged,
    /// Doc comments, READMEs, the operation summaries and server
    /// descriptions of the generated tables, and the spec texts the crate
    /// embeds: nothing code can depend on.
    DocsOnly,
    Code,
}

/// One file of a crate: its path relative to the crate, and its contents.
pub type File = (PathBuf, Vec<u8>);

/// How `new` differs from `old` (each a crate's files, any order).
pub fn classify(old: &[File], new: &[File]) -> SourceChange {
    let mut change = SourceChange::Unchanged;
    let lookup = |files: &[File], path: &PathBuf| -> Option<Vec<u8>> {
        files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| b.clone())
    };
    let mut paths: Vec<&PathBuf> = old.iter().chain(new).map(|(p, _)| p).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let (before, after) = (lookup(old, path), lookup(new, path));
        if before == after {
            continue;
        }
        let file_change = match (before, after) {
            (Some(before), Some(after)) => file_change(path, &before, &after),
            // A file added or removed: code, unless it is documentation.
            _ if is_documentation(path) => SourceChange::DocsOnly,
            _ => SourceChange::Code,
        };
        change = change.max(file_change);
    }
    change
}

fn is_documentation(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "md") || path.starts_with("openapi")
}

fn file_change(path: &std::path::Path, before: &[u8], after: &[u8]) -> SourceChange {
    if is_documentation(path) {
        return SourceChange::DocsOnly;
    }
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let (before, after) = (text(before), text(after));
    if before == after {
        return SourceChange::Unchanged;
    }
    let same_beyond_docs = match path.extension().and_then(|e| e.to_str()) {
        Some("rs") => {
            rust_without_docs(&before).is_some_and(|b| Some(b) == rust_without_docs(&after))
        }
        Some("toml") => {
            manifest_without_docs(&before).is_some_and(|b| Some(b) == manifest_without_docs(&after))
        }
        _ => false,
    };
    if same_beyond_docs {
        SourceChange::DocsOnly
    } else {
        SourceChange::Code
    }
}

/// The tokens of a Rust file without its documentation; `None` when it does
/// not parse (then it is judged as code).
fn rust_without_docs(source: &str) -> Option<String> {
    let mut file = syn::parse_file(source).ok()?;
    StripDocs.visit_file_mut(&mut file);
    Some(quote::ToTokens::to_token_stream(&file).to_string())
}

/// Removes doc attributes (`///`, `//!`, `#[doc = ..]`), and what carries
/// the spec's documentation as data: the `summary` and `description` fields
/// of the `OPERATIONS` and `SERVERS` tables' rows (`Operation { .. }`,
/// `Server { .. }`), and the `"description"` strings of the JSON Schemas the
/// open enums' `json_schema!` writes.
struct StripDocs;

impl VisitMut for StripDocs {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "json_schema")
        {
            mac.tokens = without_descriptions(std::mem::take(&mut mac.tokens));
        }
        visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_attributes_mut(&mut self, attributes: &mut Vec<syn::Attribute>) {
        attributes.retain(|attribute| !attribute.path().is_ident("doc"));
        for attribute in attributes {
            self.visit_attribute_mut(attribute);
        }
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        if expr.path.is_ident("Operation") || expr.path.is_ident("Server") {
            expr.fields.iter_mut().for_each(|field| {
                if matches!(&field.member, syn::Member::Named(name) if name == "summary" || name == "description")
                {
                    field.expr = syn::parse_quote!(None);
                }
            });
        }
        visit_mut::visit_expr_struct_mut(self, expr);
    }
}

/// `tokens` with the string after each `"description" :` emptied.
fn without_descriptions(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let tree = match tree {
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), without_descriptions(group.stream()));
                inner.set_span(group.span());
                TokenTree::Group(inner)
            }
            TokenTree::Literal(literal)
                if matches!(
                    out.as_slice(),
                    [.., TokenTree::Literal(key), TokenTree::Punct(colon)]
                        if key.to_string() == "\"description\"" && colon.as_char() == ':'
                ) && literal.to_string().starts_with('"') =>
            {
                TokenTree::Literal(Literal::string(""))
            }
            other => other,
        };
        out.push(tree);
    }
    out.into_iter().collect()
}

/// A `Cargo.toml` without `package.description`.
fn manifest_without_docs(text: &str) -> Option<toml::Table> {
    let mut manifest: toml::Table = toml::from_str(text).ok()?;
    if let Some(toml::Value::Table(package)) = manifest.get_mut("package") {
        package.remove("description");
    }
    Some(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> Vec<File> {
        files
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
            .collect()
    }

    const LIB: &str = r#"//! The crate.
/// A type.
pub struct A {
    /// A field.
    pub x: i64,
}
pub const OPERATIONS: &[Operation] = &[Operation { id: "a", summary: Some("Get it"), path: "/a" }];
fn json_schema() -> Schema {
    ::schemars::json_schema!({ "description": "Status", "anyOf": [{ "type": "string", "enum": ["A"] }] })
}
"#;

    #[test]
    fn identical_crates_are_unchanged() {
        let a = crate_of(&[
            ("src/lib.rs", LIB),
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
        ]);
        assert_eq!(classify(&a, &a), SourceChange::Unchanged);
        let crlf = crate_of(&[
            ("src/lib.rs", &LIB.replace('\n', "\r\n")),
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
        ]);
        assert_eq!(classify(&a, &crlf), SourceChange::Unchanged);
    }

    #[test]
    fn reworded_docs_and_summaries_are_documentation_only() {
        let old = crate_of(&[
            ("src/lib.rs", LIB),
            ("README.md", "old"),
            ("openapi/openapi.yaml", "a: 1"),
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\ndescription = \"Old.\"\n",
            ),
        ]);
        let new = crate_of(&[
            (
                "src/lib.rs",
                &LIB.replace(
                    "/// A field.",
                    "/// The field, reworded.\n    /// Over two lines.",
                )
                .replace("//! The crate.", "//! The crate, reworded.")
                .replace("Some(\"Get it\")", "Some(\"Fetch it\")"),
            ),
            ("README.md", "new"),
            ("openapi/openapi.yaml", "a: 2"),
            ("openapi/report.md", "added"),
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\ndescription = \"New.\"\n",
            ),
        ]);
        assert_eq!(classify(&old, &new), SourceChange::DocsOnly);
    }

    #[test]
    fn any_other_change_is_code() {
        let old = crate_of(&[
            ("src/lib.rs", LIB),
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
        ]);
        let cases = [
            LIB.replace("pub x: i64", "pub x: String"),
            LIB.replace("path: \"/a\"", "path: \"/b\""),
            LIB.replace("Operation { id", "Other { summary: None, id"),
            format!("{LIB}pub fn added() {{}}\n"),
            LIB.replace("\"enum\": [\"A\"]", "\"enum\": [\"B\"]"),
            LIB.replace("\"type\": \"string\"", "\"type\": \"integer\""),
            "this is not Rust {".to_owned(),
        ];
        for lib in cases {
            let new = crate_of(&[
                ("src/lib.rs", &lib),
                ("Cargo.toml", "[package]\nname = \"x\"\n"),
            ]);
            assert_eq!(classify(&old, &new), SourceChange::Code, "{lib}");
        }
        let new_dependency = crate_of(&[
            ("src/lib.rs", LIB),
            (
                "Cargo.toml",
                "[package]\nname = \"x\"\n[dependencies]\nuuid = \"1\"\n",
            ),
        ]);
        assert_eq!(classify(&old, &new_dependency), SourceChange::Code);
        let new_module = crate_of(&[
            ("src/lib.rs", LIB),
            ("src/extra.rs", "pub fn f() {}"),
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
        ]);
        assert_eq!(classify(&old, &new_module), SourceChange::Code);
    }
}
