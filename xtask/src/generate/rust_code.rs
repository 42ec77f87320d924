//! Assembling the Rust sources of the generated crates from progenitor's
//! output: the rewrites, the operation and server tables, crate docs, and
//! formatting.

use std::time::Instant;

use quote::quote;
use serde_json::Value;

use super::context::{CodeContext, generated_marker};
use super::fallbacks::UntypedSchema;
use super::operation_table::{self, OperationRow};
use super::progenitor_run::{self, ProgenitorOutput};
use super::rewrite::{self, Applied, Target};
use super::settings::Settings;
use super::{crate_docs, format};
use crate::normalize::SkippedOperation;
use crate::trace;

/// The support module every generated client carries (`Call`, the
/// operation table's types, the path check), committed rustfmt-formatted
/// (a test in `format` checks it).
pub const CALL_TEMPLATE: &str = include_str!("../../templates/call.rs");

/// What one generation produced.
pub struct RustCode {
    pub client_lib: String,
    pub client_call: String,
    pub httpmock_lib: String,
    pub crates_used: CratesUsed,
    /// The document progenitor generated from: the normalized one without
    /// what the fallbacks left out (see `progenitor_run`).
    pub document: Value,
    /// Operations progenitor failed on, left out.
    pub skipped: Vec<SkippedOperation>,
    /// How many times progenitor ran.
    pub progenitor_runs: usize,
    /// Component schemas generated as `serde_json::Value` because typify
    /// could not convert them.
    pub untyped: Vec<UntypedSchema>,
    /// Enums the normalization marked open that could not be opened.
    pub closed_enums: Vec<String>,
    /// The unions the client decodes, given a catch-all variant.
    pub open_unions: Vec<String>,
    /// Unions the client decodes that could not be opened, and why.
    pub closed_unions: Vec<(String, String)>,
    /// Why the types have no builders, when the builder-style run failed.
    pub builders_missing: Option<String>,
    /// What each rewrite did, in the order they ran.
    pub rewrites: Vec<Applied>,
    pub operation_count: usize,
    pub type_count: usize,
}

/// Optional crates the generated code refers to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CratesUsed {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
    pub serde_json: bool,
    pub futures: bool,
}

impl CratesUsed {
    /// Every optional crate, used or not.
    pub fn all() -> Self {
        CratesUsed {
            chrono: true,
            uuid: true,
            regress: true,
            serde_json: true,
            futures: true,
        }
    }
}

pub fn generate(
    normalized: &Value,
    context: &CodeContext<'_>,
    settings: Settings<'_>,
) -> Result<RustCode, String> {
    let crate_ident = context.crate_name.replace('-', "_");
    let started = Instant::now();
    let output = progenitor_run::generate(normalized, &crate_ident)?;
    trace::phase("progenitor", started);
    if trace::enabled() {
        let (runs, parses, conversions) = (output.runs, output.parses, output.conversions);
        eprintln!(
            "trace: progenitor ran {runs} time(s), on {parses} document(s) read, converting \
             schemas {conversions} time(s)"
        );
    }
    let started = Instant::now();
    let ProgenitorOutput {
        client,
        httpmock,
        builder_style,
        skipped,
        untyped,
        document,
        runs,
        ..
    } = output;
    let parse = |tokens, what: &str| -> Result<syn::File, String> {
        syn::parse2(tokens).map_err(|e| format!("progenitor's {what} output does not parse: {e}"))
    };
    let mut client = parse(client, "client")?;
    let builder_style = builder_style.and_then(|tokens| parse(tokens, "builder-style"));
    let mut cx = rewrite::Context::new(&document, builder_style);
    rewrite::apply(settings.rewrites, Target::Client, &mut client, &mut cx)?;
    trace::phase("parse and rewrite the client", started);
    let started = Instant::now();
    let operations = operation_table::rows(&document);
    let type_count = count_types(&client);
    let client_lib = client_lib(client, &cx, &operations, context, settings)?;
    trace::phase("format the client", started);
    let started = Instant::now();
    let mut httpmock = parse(httpmock, "httpmock")?;
    rewrite::apply(settings.rewrites, Target::Httpmock, &mut httpmock, &mut cx)?;
    httpmock.attrs = crate_attributes();
    let httpmock_docs = crate_docs::httpmock(context);
    let httpmock_code = format::rust_file(&httpmock, settings.formatting)?;
    let httpmock_lib = with_header(context, &httpmock_docs, &httpmock_code);
    trace::phase("the httpmock crate", started);
    let rewrite::Context {
        closed_enums,
        builders,
        unions,
        applied,
        ..
    } = cx;
    Ok(RustCode {
        client_call: format!("{}\n{CALL_TEMPLATE}", generated_marker(context)),
        crates_used: crates_used(&client_lib),
        client_lib,
        httpmock_lib,
        skipped,
        progenitor_runs: runs,
        untyped,
        closed_enums,
        open_unions: unions.opened,
        closed_unions: unions.closed,
        builders_missing: builders.err(),
        rewrites: applied,
        operation_count: operations.len(),
        type_count,
        document,
    })
}

/// The client crate's `lib.rs`: the support items, then the rewritten
/// client, formatted under its docs.
fn client_lib(
    mut client: syn::File,
    cx: &rewrite::Context<'_>,
    operations: &[OperationRow],
    context: &CodeContext<'_>,
    settings: Settings<'_>,
) -> Result<String, String> {
    let mut lib = support_items(cx.normalized, operations);
    lib.items.append(&mut client.items);
    lib.attrs = crate_attributes();
    let with_builders = cx.builders.is_ok();
    let docs = crate_docs::client(
        cx.normalized,
        context,
        operations,
        with_builders,
        &cx.unions.opened,
    );
    let code = format::rust_file(&lib, settings.formatting)?;
    Ok(with_header(context, &docs, &code))
}

fn with_header(context: &CodeContext<'_>, docs: &str, code: &str) -> String {
    let mut out = generated_marker(context);
    out.push('\n');
    for line in docs.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str("//! ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(code);
    out
}

/// Lints the generated code is exempt from: it mirrors the spec's shapes
/// and names, which are not ours to restyle.
fn crate_attributes() -> Vec<syn::Attribute> {
    syn::parse_quote! {
        #![allow(clippy::all, clippy::pedantic)]
        // On docs.rs, items that need a feature say which.
        #![cfg_attr(docsrs, feature(doc_cfg))]
    }
}

fn count_types(client: &syn::File) -> usize {
    client
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .map_or(0, |(_, items)| {
            items
                .iter()
                .filter(|i| matches!(i, syn::Item::Struct(_) | syn::Item::Enum(_)))
                .count()
        })
}

/// The items every generated client starts with: the spec texts, the
/// server and operation tables, and the `call` module.
fn support_items(normalized: &Value, operations: &[OperationRow]) -> syn::File {
    let servers: Vec<(String, Option<String>)> = normalized
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let url = s.get("url")?.as_str()?.trim_end_matches('/').to_owned();
            Some((
                url,
                s.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            ))
        })
        .collect();
    let server_rows = servers.iter().map(|(url, description)| {
        let description = match description {
            Some(d) => quote!(Some(#d)),
            None => quote!(None),
        };
        quote!(Server { url: #url, description: #description })
    });
    let default_base_url = servers.first().map(|(url, _)| {
        quote! {
            /// The base URL of the spec's first server.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let operation_rows = operations.iter().map(|op| {
        let (id, name, method, path) = (&op.id, &op.name, &op.method, &op.path);
        let optional = |value: &Option<String>| match value {
            Some(value) => quote!(Some(#value)),
            None => quote!(None),
        };
        let (accept, summary, body) = (
            optional(&op.accept),
            optional(&op.summary),
            optional(&op.body),
        );
        let parameters = op.parameters.iter().map(|(name, location, required)| {
            let location = syn::Ident::new(location, proc_macro2::Span::call_site());
            quote!(call::Parameter {
                name: #name,
                location: call::ParameterLocation::#location,
                required: #required,
            })
        });
        quote!(Operation {
            id: #id,
            name: #name,
            method: #method,
            path: #path,
            accept: #accept,
            summary: #summary,
            parameters: &[#(#parameters),*],
            body: #body,
        })
    });
    syn::parse_quote! {
        pub mod call;
        pub use call::{Call, Operation, Parameter, ParameterLocation};

        /// The OpenAPI document this crate was generated from, exactly as
        /// published.
        pub const OPENAPI_SPEC: &str = include_str!("../openapi/openapi.yaml");

        /// The OpenAPI 3.0 document progenitor read: the published one
        /// after the xtask's normalization passes, without what the
        /// generator had to leave out (listed in `openapi/report.md`).
        pub const OPENAPI_NORMALIZED: &str = include_str!("../openapi/normalized.json");

        /// A server the spec lists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Server {
            /// Base URL, without a trailing slash.
            pub url: &'static str,
            /// What the spec says about it.
            pub description: Option<&'static str>,
        }

        /// The servers the spec lists, in its order.
        pub const SERVERS: &[Server] = &[#(#server_rows),*];

        #default_base_url

        /// Every generated operation, in the order of the client's methods.
        pub const OPERATIONS: &[Operation] = &[#(#operation_rows),*];
    }
}

fn crates_used(code: &str) -> CratesUsed {
    CratesUsed {
        chrono: code.contains("chrono::"),
        uuid: code.contains("uuid::"),
        regress: code.contains("regress::"),
        serde_json: code.contains("serde_json::"),
        futures: code.contains("futures::"),
    }
}
