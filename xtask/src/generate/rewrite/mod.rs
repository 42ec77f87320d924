//! Rewrites of progenitor's output that its settings cannot express. Each is
//! a small pass over the syntax tree with its own tests; none edits text.
//! [`REWRITES`] runs them in a fixed order, like the normalization's
//! passes, each named so that the generation report can say which one
//! could not do its work.

use std::collections::BTreeSet;

use serde_json::Value;

pub mod api_version_header;
pub mod call_values;
pub mod doc_comments;
pub mod empty_header_maps;
pub mod fallible_constructor;
pub mod httpmock_paths;
pub mod non_exhaustive;
pub mod open_enums;
pub mod open_unions;
pub mod path_encoding;
pub mod request_constructors;
pub mod schemars_impls;
pub mod type_builders;

/// Which generated file a rewrite edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The client crate's `lib.rs`.
    Client,
    /// The httpmock crate's `lib.rs`.
    Httpmock,
}

/// One rewrite of progenitor's output.
#[derive(Clone, Copy)]
pub struct Rewrite {
    pub name: &'static str,
    /// The files it edits.
    pub targets: &'static [Target],
    pub run: fn(&mut syn::File, &mut Context<'_>),
}

/// What the rewrites are given, and what they leave for the report.
pub struct Context<'a> {
    /// The document progenitor read (which enums are open, for one).
    pub normalized: &'a Value,
    /// progenitor's builder-style output, or why there is none; taken by
    /// `type-builders`.
    pub builder_style: Option<Result<syn::File, String>>,
    /// Whether the types got builders, or why not.
    pub builders: Result<(), String>,
    /// Enums marked open that `open-enums` could not open.
    pub closed_enums: Vec<String>,
    /// The unions `open-unions` opened, and those it had to leave closed.
    pub unions: open_unions::Outcome,
    /// How many operation methods `call-values` rewrote, or why it could
    /// not (which fails the generation); `None` when it did not run.
    pub calls: Option<Result<usize, String>>,
}

impl<'a> Context<'a> {
    pub fn new(normalized: &'a Value, builder_style: Result<syn::File, String>) -> Self {
        Context {
            normalized,
            builder_style: Some(builder_style),
            builders: Err("the type-builders rewrite did not run".to_owned()),
            closed_enums: Vec::new(),
            unions: open_unions::Outcome::default(),
            calls: None,
        }
    }
}

const CLIENT: &[Target] = &[Target::Client];

/// The rewrites, in order. Later ones rely on earlier ones: the request
/// constructors' docs point at the builders; spec text is sanitized before
/// the open-enum rewrite adds docs of its own, whose intra-doc links must
/// survive; `non-exhaustive` marks the enums `open-enums` put in place
/// (and not the private mirrors of `open-unions`).
pub const REWRITES: &[Rewrite] = &[
    Rewrite {
        name: "type-builders",
        targets: CLIENT,
        run: |file, cx| {
            cx.builders = match cx.builder_style.take() {
                Some(Ok(builder_style)) => type_builders::adopt(file, builder_style),
                Some(Err(why)) => Err(why),
                None => Err("the builder-style output was already used".to_owned()),
            };
        },
    },
    Rewrite {
        name: "request-constructors",
        targets: CLIENT,
        run: |file, cx| {
            request_constructors::add(file, cx.builders.is_ok());
        },
    },
    Rewrite {
        name: "schemars-impls",
        targets: CLIENT,
        run: |file, _| {
            schemars_impls::to_schemars_1(file);
        },
    },
    Rewrite {
        name: "api-version-header",
        targets: CLIENT,
        run: |file, _| {
            api_version_header::remove(file);
        },
    },
    Rewrite {
        name: "empty-header-maps",
        targets: CLIENT,
        run: |file, _| {
            empty_header_maps::remove(file);
        },
    },
    Rewrite {
        name: "fallible-constructor",
        targets: CLIENT,
        run: |file, _| {
            fallible_constructor::return_result(file);
        },
    },
    Rewrite {
        name: "path-encoding",
        targets: CLIENT,
        run: |file, _| {
            path_encoding::use_own_encoder(file);
            path_encoding::borrow_str_parameters(file);
        },
    },
    Rewrite {
        name: "httpmock-paths",
        targets: &[Target::Httpmock],
        run: |file, _| {
            httpmock_paths::escape_values(file);
        },
    },
    Rewrite {
        name: "doc-comments",
        targets: &[Target::Client, Target::Httpmock],
        run: |file, _| doc_comments::sanitize(file),
    },
    Rewrite {
        name: "open-enums",
        targets: CLIENT,
        run: |file, cx| {
            let names = open_enums::marked_open(cx.normalized);
            cx.closed_enums = open_enums::open(file, &names);
        },
    },
    Rewrite {
        name: "open-unions",
        targets: CLIENT,
        run: |file, cx| {
            let roots = crate::normalize::response_types(cx.normalized);
            cx.unions = open_unions::open(file, &roots);
        },
    },
    Rewrite {
        name: "non-exhaustive",
        targets: CLIENT,
        run: |file, _| {
            non_exhaustive::mark(file);
        },
    },
    Rewrite {
        name: "call-values",
        targets: CLIENT,
        run: |file, cx| {
            let table: Vec<String> = super::operation_table::rows(cx.normalized)
                .into_iter()
                .map(|row| row.name)
                .collect();
            cx.calls = Some(call_values::rewrite(file, &table));
        },
    },
];

/// Runs the rewrites of `rewrites` that edit `target` on `file`, in order.
pub fn apply(rewrites: &[Rewrite], target: Target, file: &mut syn::File, cx: &mut Context<'_>) {
    for rewrite in rewrites.iter().filter(|r| r.targets.contains(&target)) {
        let started = std::time::Instant::now();
        (rewrite.run)(file, cx);
        crate::trace::phase(rewrite.name, started);
    }
}

/// The items of the generated `types` module, where the schemas' types are.
fn types_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            module.content.as_mut().map(|c| &mut c.1)
        }
        _ => None,
    })
}

/// The types of `items` with an inherent `impl TYPE` holding a method
/// `method`, found in one pass (asking item by item was quadratic, seconds
/// on a spec with thousands of types).
fn types_with_inherent_method(items: &[syn::Item], method: &str) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let syn::Type::Path(self_ty) = &*imp.self_ty else {
                    return None;
                };
                let has = imp
                    .items
                    .iter()
                    .any(|m| matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == method));
                (has && self_ty.qself.is_none())
                    .then(|| self_ty.path.get_ident().map(ToString::to_string))
                    .flatten()
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_names_are_unique() {
        let mut names: Vec<_> = REWRITES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REWRITES.len());
    }

    #[test]
    fn only_the_rewrites_of_a_target_run_on_it() {
        let marker: Rewrite = Rewrite {
            name: "marker",
            targets: &[Target::Httpmock],
            run: |file, _| {
                file.items.push(syn::parse_quote!(
                    struct Marked;
                ))
            },
        };
        let doc = serde_json::json!({});
        let mut cx = Context::new(&doc, Err("none".to_owned()));
        let mut file: syn::File = syn::parse_quote!();
        apply(&[marker], Target::Client, &mut file, &mut cx);
        assert!(file.items.is_empty());
        apply(&[marker], Target::Httpmock, &mut file, &mut cx);
        assert_eq!(file.items.len(), 1);
    }

    #[test]
    fn without_a_builder_style_output_the_types_have_no_builders() {
        let doc = serde_json::json!({});
        let mut cx = Context::new(&doc, Err("progenitor failed".to_owned()));
        let mut file: syn::File = syn::parse_quote!(
            pub mod types {}
        );
        apply(REWRITES, Target::Client, &mut file, &mut cx);
        assert_eq!(cx.builders, Err("progenitor failed".to_owned()));
    }
}
