//! Rewrites of progenitor's output that its settings cannot express. Each is
//! a small pass over the syntax tree with its own tests; none edits text.
//! [`REWRITES`] runs them in a fixed order, like the normalization's
//! passes: each is named, counts what it changed (codegen prints the
//! counts), and says when it must change something, so that one that no
//! longer matches progenitor's output fails the generation instead of doing
//! nothing.

use std::collections::BTreeSet;

use serde_json::Value;
use syn::Item;

use crate::document::{Operation, deref, deref_schema, operations};

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
    /// When it must change something.
    pub must: Must,
    /// Rewrites one file: how many places it changed, or why it cannot
    /// (which fails the generation).
    pub run: fn(&mut syn::File, &mut Context<'_>) -> Result<usize, String>,
}

/// When a rewrite must change something: a condition on its input, the
/// document progenitor read and progenitor's output as the rewrites before
/// it left it. Where the condition holds and the rewrite changed nothing,
/// what it rewrites no longer looks as it expects (progenitor or typify
/// changed), and [`apply`] fails naming it.
#[derive(Clone, Copy)]
pub struct Must {
    /// The condition, as the failure states it.
    pub when: &'static str,
    pub holds: fn(&syn::File, &Context<'_>) -> bool,
}

/// What a rewrite did to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: &'static str,
    pub target: Target,
    /// How many places it changed.
    pub count: usize,
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
    /// What each rewrite that ran did, in order.
    pub applied: Vec<Applied>,
}

impl<'a> Context<'a> {
    pub fn new(normalized: &'a Value, builder_style: Result<syn::File, String>) -> Self {
        Context {
            normalized,
            builder_style: Some(builder_style),
            builders: Err("the type-builders rewrite did not run".to_owned()),
            closed_enums: Vec::new(),
            unions: open_unions::Outcome::default(),
            applied: Vec::new(),
        }
    }
}

const CLIENT: &[Target] = &[Target::Client];

/// The rewrites, in order. Later ones rely on earlier ones: the request
/// constructors' docs point at the builders; spec text is sanitized before
/// the open-enum rewrite adds docs of its own, whose intra-doc links must
/// survive; `non-exhaustive` marks the enums `open-enums` put in place
/// (and not the private mirrors of `open-unions`). What each works around,
/// and how to tell it is no longer needed: `xtask/UPSTREAM.md`.
pub const REWRITES: &[Rewrite] = &[
    Rewrite {
        name: "type-builders",
        targets: CLIENT,
        must: must(
            "typify generated a struct and progenitor's builder-style run succeeded",
            |file, cx| {
                matches!(cx.builder_style, Some(Ok(_)))
                    && has_type(file, |i| matches!(i, Item::Struct(_)))
            },
        ),
        run: |file, cx| {
            let builder_style = cx.builder_style.take();
            let builder_style = builder_style.ok_or("the builder-style output was already used")?;
            let adopted = builder_style.and_then(|tokens| type_builders::adopt(file, tokens));
            cx.builders = adopted.as_ref().map(drop).map_err(Clone::clone);
            Ok(adopted.unwrap_or(0))
        },
    },
    Rewrite {
        name: "request-constructors",
        targets: CLIENT,
        must: must("a request body is an object with properties", |_, cx| {
            object_body(cx.normalized)
        }),
        run: |file, cx| Ok(request_constructors::add(file, cx.builders.is_ok()).len()),
    },
    Rewrite {
        name: "schemars-impls",
        targets: CLIENT,
        must: must("typify wrote a `JsonSchema` impl by hand", |file, _| {
            has_type(
                file,
                |i| matches!(i, Item::Impl(imp) if implements(imp, "JsonSchema")),
            )
        }),
        run: |file, _| Ok(schemars_impls::to_schemars_1(file)),
    },
    Rewrite {
        name: "api-version-header",
        targets: CLIENT,
        must: must("the spec has operations", |_, cx| {
            has_operations(cx.normalized)
        }),
        run: |file, _| Ok(api_version_header::remove(file)),
    },
    Rewrite {
        name: "empty-header-maps",
        targets: CLIENT,
        must: must("an operation has no header parameter", |_, cx| {
            let document = cx.normalized;
            operations(document)
                .iter()
                .any(|op| !takes(document, op, "header"))
        }),
        run: |file, _| Ok(empty_header_maps::remove(file)),
    },
    Rewrite {
        name: "fallible-constructor",
        targets: CLIENT,
        must: ALWAYS,
        run: |file, _| Ok(usize::from(fallible_constructor::return_result(file))),
    },
    Rewrite {
        name: "path-encoding",
        targets: CLIENT,
        must: ALWAYS,
        run: |file, _| {
            let imports = usize::from(path_encoding::use_own_encoder(file));
            Ok(imports + path_encoding::borrow_str_parameters(file))
        },
    },
    Rewrite {
        name: "httpmock-paths",
        targets: &[Target::Httpmock],
        must: must("an operation has a path parameter", |_, cx| {
            let document = cx.normalized;
            operations(document)
                .iter()
                .any(|op| takes(document, op, "path"))
        }),
        run: |file, _| Ok(httpmock_paths::escape_values(file)),
    },
    Rewrite {
        name: "doc-comments",
        targets: CLIENT,
        must: ALWAYS,
        run: |file, _| Ok(doc_comments::sanitize(file)),
    },
    Rewrite {
        name: "open-enums",
        targets: CLIENT,
        must: must(
            "the normalization marked an enum open (a response holds it)",
            |_, cx| !open_enums::marked_open(cx.normalized).is_empty(),
        ),
        run: |file, cx| {
            let names = open_enums::marked_open(cx.normalized);
            cx.closed_enums = open_enums::open(file, &names);
            Ok(names.len() - cx.closed_enums.len())
        },
    },
    Rewrite {
        name: "open-unions",
        targets: CLIENT,
        must: must("a response holds a `oneOf` of objects", |_, cx| {
            response_union(cx.normalized)
        }),
        run: |file, cx| {
            let roots = crate::normalize::response_types(cx.normalized);
            cx.unions = open_unions::open(file, &roots);
            Ok(cx.unions.opened.len())
        },
    },
    Rewrite {
        name: "non-exhaustive",
        targets: CLIENT,
        must: must("typify generated a type", |file, _| {
            has_type(file, |i| matches!(i, Item::Struct(_) | Item::Enum(_)))
        }),
        run: |file, _| Ok(non_exhaustive::mark(file)),
    },
    Rewrite {
        name: "call-values",
        targets: CLIENT,
        must: must("the spec has operations", |_, cx| {
            has_operations(cx.normalized)
        }),
        run: |file, cx| {
            let table: Vec<String> = super::operation_table::rows(cx.normalized)
                .into_iter()
                .map(|row| row.name)
                .collect();
            call_values::rewrite(file, &table)
        },
    },
];

/// For a rewrite of what progenitor always writes.
const ALWAYS: Must = must(
    "always (progenitor always writes what it rewrites)",
    |_, _| true,
);

const fn must(when: &'static str, holds: fn(&syn::File, &Context<'_>) -> bool) -> Must {
    Must { when, holds }
}

/// Runs the rewrites of `rewrites` that edit `target` on `file`, in order,
/// recording what each did in `cx`. Fails on the first that cannot do its
/// work, or changed nothing where it must (see [`Must`]).
pub fn apply(
    rewrites: &[Rewrite],
    target: Target,
    file: &mut syn::File,
    cx: &mut Context<'_>,
) -> Result<(), String> {
    for rewrite in rewrites.iter().filter(|r| r.targets.contains(&target)) {
        let started = std::time::Instant::now();
        let must = (rewrite.must.holds)(file, cx);
        let count = (rewrite.run)(file, cx)
            .map_err(|why| format!("the rewrite `{}` failed: {why}", rewrite.name))?;
        if must && count == 0 {
            return Err(format!(
                "the rewrite `{}` changed nothing, though it must when {}: progenitor's output \
                 no longer looks as it expects (see xtask/UPSTREAM.md)",
                rewrite.name, rewrite.must.when
            ));
        }
        cx.applied.push(Applied {
            name: rewrite.name,
            target,
            count,
        });
        crate::trace::phase(rewrite.name, started);
    }
    Ok(())
}

fn has_operations(document: &Value) -> bool {
    !operations(document).is_empty()
}

/// Whether `op` takes a parameter in `location` (`path`, `header`, ...).
fn takes(document: &Value, op: &Operation<'_>, location: &str) -> bool {
    op.parameters(document)
        .any(|param| param.get("in").and_then(Value::as_str) == Some(location))
}

/// Whether an item of the `types` module is `kind`.
fn has_type(file: &syn::File, kind: impl Fn(&Item) -> bool) -> bool {
    file.items.iter().any(|item| match item {
        Item::Mod(module) if module.ident == "types" => module
            .content
            .as_ref()
            .is_some_and(|(_, items)| items.iter().any(&kind)),
        _ => false,
    })
}

/// Whether `imp` implements the trait whose path ends in `name`.
fn implements(imp: &syn::ItemImpl, name: &str) -> bool {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|last| last.ident == name)
}

/// Whether a request body's schema is an object with properties.
fn object_body(document: &Value) -> bool {
    operations(document).iter().any(|op| {
        op.operation
            .get("requestBody")
            .and_then(|body| deref(document, body))
            .and_then(|body| body.get("content"))
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|content| content.values())
            .filter_map(|media| deref_schema(document, media.get("schema")?))
            .any(|schema| {
                schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty())
            })
    })
}

/// Whether a response reaches a component schema whose `oneOf` has two or
/// more branches, each a `$ref` to an object with properties.
fn response_union(document: &Value) -> bool {
    let is_object = |branch: &Value| {
        branch.get("$ref").is_some()
            && deref(document, branch)
                .and_then(|schema| schema.get("properties"))
                .is_some_and(Value::is_object)
    };
    crate::normalize::response_types(document)
        .iter()
        .any(|name| {
            document
                .pointer(&crate::json_pointer::join("/components/schemas", name))
                .and_then(|schema| schema.get("oneOf"))
                .and_then(Value::as_array)
                .is_some_and(|branches| branches.len() > 1 && branches.iter().all(is_object))
        })
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

    /// A rewrite for the tests: adds an item, and never must.
    const MARKER: Rewrite = Rewrite {
        name: "marker",
        targets: &[Target::Httpmock],
        must: Must {
            when: "never",
            holds: |_, _| false,
        },
        run: |file, _| {
            file.items.push(syn::parse_quote!(
                struct Marked;
            ));
            Ok(1)
        },
    };

    #[test]
    fn only_the_rewrites_of_a_target_run_on_it_and_each_is_counted() {
        let doc = serde_json::json!({});
        let mut cx = Context::new(&doc, Err("none".to_owned()));
        let mut file: syn::File = syn::parse_quote!();
        apply(&[MARKER], Target::Client, &mut file, &mut cx).unwrap();
        assert!(file.items.is_empty() && cx.applied.is_empty());
        apply(&[MARKER], Target::Httpmock, &mut file, &mut cx).unwrap();
        assert_eq!(file.items.len(), 1);
        let marked = Applied {
            name: "marker",
            target: Target::Httpmock,
            count: 1,
        };
        assert_eq!(cx.applied, [marked]);
    }

    #[test]
    fn without_a_builder_style_output_the_types_have_no_builders() {
        let doc = serde_json::json!({});
        let mut cx = Context::new(&doc, Err("progenitor failed".to_owned()));
        let mut file: syn::File = syn::parse_quote!(
            pub mod types {
                pub struct A;
            }
        );
        let type_builders = &REWRITES[..1];
        assert_eq!(type_builders[0].name, "type-builders");
        apply(type_builders, Target::Client, &mut file, &mut cx).unwrap();
        assert_eq!(cx.builders, Err("progenitor failed".to_owned()));
        assert_eq!(cx.applied[0].count, 0);
    }

    /// Renames the map progenitor builds its headers in, as a progenitor
    /// release could: `api-version-header` then finds no header to remove.
    struct RenameHeaderMap;

    impl syn::visit_mut::VisitMut for RenameHeaderMap {
        fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
            if ident == "header_map" {
                *ident = syn::Ident::new("headers", ident.span());
            }
        }
    }

    #[test]
    fn codegen_fails_naming_a_rewrite_that_must_apply_and_matched_nothing() {
        use crate::codegen::{Target as Output, plan_with};
        use crate::generate::format::Formatting;
        use crate::generate::settings::Settings;
        let upgrade = Rewrite {
            name: "a-progenitor-upgrade",
            targets: CLIENT,
            run: |file, _| {
                syn::visit_mut::VisitMut::visit_file_mut(&mut RenameHeaderMap, file);
                Ok(1)
            },
            ..MARKER
        };
        let upgraded: Vec<Rewrite> = std::iter::once(upgrade)
            .chain(REWRITES.iter().copied())
            .collect();
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
                    operationId: get-a\n      responses:\n        '204': {description: none}\n";
        let target = Output::Workspace {
            root: std::path::PathBuf::from("unused"),
        };
        let plan = |rewrites| {
            let settings = Settings {
                rewrites,
                formatting: Formatting::Prettyplease,
            };
            plan_with(spec, "t.yaml", &target, "", settings)
        };
        let error = plan(&upgraded).err().expect("the generation fails");
        assert_eq!(
            error,
            "t.yaml: the rewrite `api-version-header` changed nothing, though it must when the \
             spec has operations: progenitor's output no longer looks as it expects (see \
             xtask/UPSTREAM.md)"
        );
        let generated = plan(REWRITES).expect("the spec generates");
        let applied = |name| {
            generated
                .code
                .rewrites
                .iter()
                .find(|r| r.name == name)
                .unwrap()
                .count
        };
        assert_eq!(
            applied("api-version-header"),
            1,
            "one operation, one header"
        );
    }
}
