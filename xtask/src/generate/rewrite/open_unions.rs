//! Open unions: typify turns a `oneOf`/`anyOf` into an enum that fails to
//! decode a value matching none of its variants, and the whole response
//! fails with it (a page of messages lost to one content type added after
//! generation). Every such enum the client decodes (reachable from a
//! response body, an event stream included, through the types' fields) gets
//! a last variant `Unknown(serde_json::Value)` that keeps the raw JSON and
//! writes it back unchanged. Enums only ever sent stay closed.
//!
//! - Untagged enums (what typify makes of most unions) take the catch-all
//!   as their last variant: serde tries the documented variants first.
//! - Tagged enums (internally, adjacently or externally tagged) decode a
//!   value whose tag is not documented as `Unknown`, and a documented tag
//!   as before. serde cannot keep data under `#[serde(other)]`, so the
//!   derived impls move to a private mirror enum (serde's `remote`
//!   pattern) that the hand-written ones call.
//!
//! Unit-only enums are string enums, opened by [`super::open_enums`]; their
//! tags (`PlainTextContentItemType`) stay closed, or untagged matching would
//! accept any variant's tag.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Fields, Item, ItemEnum, Meta, Token};

use super::open_enums::free_catch_all;
use super::types_items;
use crate::rust_names::type_name;

/// What the rewrite did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The enums given a catch-all variant.
    pub opened: Vec<String>,
    /// Decoded enums left closed, and why.
    pub closed: Vec<(String, String)>,
}

/// How serde tells an enum's variants apart.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Untagged,
    /// `#[serde(tag = "...")]`, with `content` for adjacent tagging.
    Internal(String),
    Adjacent(String),
    /// serde's default: `"unit_variant"` or `{"variant": payload}`.
    External,
}

/// Opens every untagged or tagged enum of the `types` module reachable from
/// `roots` (the spec's names of the schemas responses hold, see
/// [`crate::normalize::response_types`]) or from a client method's return
/// type.
pub fn open(file: &mut syn::File, roots: &BTreeSet<String>) -> Outcome {
    let mut starts: BTreeSet<String> = roots.iter().map(|name| type_name(name)).collect();
    starts.extend(return_types(file));
    let Some(items) = types_items(file) else {
        return Outcome::default();
    };
    let decoded = reachable(items, &starts);
    let mut outcome = Outcome::default();
    let mut replacements: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    for item in items.iter() {
        let Item::Enum(union) = item else { continue };
        let name = union.ident.to_string();
        if !decoded.contains(&name) {
            continue;
        }
        let repr = match representation(union) {
            Ok(Some(repr)) => repr,
            Ok(None) => continue,
            Err(why) => {
                outcome.closed.push((name, why));
                continue;
            }
        };
        if repr == Repr::Untagged && union.variants.iter().any(holds_any_json) {
            continue;
        }
        let display = display_impl(items, &union.ident);
        match opened(union, &repr, display) {
            Ok(new_items) => {
                replacements.insert(name.clone(), new_items);
                outcome.opened.push(name);
            }
            Err(why) => outcome.closed.push((name, why)),
        }
    }
    if replacements.is_empty() {
        return outcome;
    }
    let old = std::mem::take(items);
    for item in old {
        match &item {
            Item::Enum(union) if replacements.contains_key(&union.ident.to_string()) => {
                if let Some(new_items) = replacements.remove(&union.ident.to_string()) {
                    items.extend(new_items);
                }
            }
            Item::Impl(imp) if is_display_of(imp, &outcome.opened) => {}
            _ => items.push(item),
        }
    }
    outcome
}

/// The types named in the return types of the client's methods (outside
/// the `types` module).
fn return_types(file: &syn::File) -> BTreeSet<String> {
    #[derive(Default)]
    struct Names(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            self.0.insert(segment.ident.to_string());
            syn::visit::visit_path_segment(self, segment);
        }
    }
    let mut names = Names::default();
    for item in &file.items {
        if let Item::Impl(imp) = item {
            for member in &imp.items {
                if let syn::ImplItem::Fn(method) = member {
                    names.visit_return_type(&method.sig.output);
                }
            }
        }
    }
    names.0
}

/// The names of the types of `items` reachable from `starts` through
/// struct fields, enum variants and type aliases.
fn reachable(items: &[Item], starts: &BTreeSet<String>) -> BTreeSet<String> {
    #[derive(Default)]
    struct Names(BTreeSet<String>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            self.0.insert(segment.ident.to_string());
            syn::visit::visit_path_segment(self, segment);
        }
        // Doc strings and serde attributes name no types.
        fn visit_attribute(&mut self, _: &'ast Attribute) {}
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items {
        let mut names = Names::default();
        let name = match item {
            Item::Struct(s) => {
                names.visit_fields(&s.fields);
                s.ident.to_string()
            }
            Item::Enum(e) => {
                for variant in &e.variants {
                    names.visit_fields(&variant.fields);
                }
                e.ident.to_string()
            }
            Item::Type(t) => {
                names.visit_type(&t.ty);
                t.ident.to_string()
            }
            _ => continue,
        };
        edges.insert(name, names.0);
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<&String> = starts.iter().filter(|s| edges.contains_key(*s)).collect();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        for next in edges.get(name).into_iter().flatten() {
            if edges.contains_key(next) && !seen.contains(next) {
                queue.push_back(next);
            }
        }
    }
    seen
}

/// The `(key, value)` pairs of an item's `#[serde(...)]` attributes.
fn serde_args(attrs: &[Attribute]) -> Result<Vec<(String, Option<String>)>, String> {
    let mut args = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let value = if meta.input.peek(Token![=]) {
                Some(meta.value()?.parse::<syn::LitStr>()?.value())
            } else {
                None
            };
            args.push((key, value));
            Ok(())
        })
        .map_err(|e| format!("unreadable serde attribute: {e}"))?;
    }
    Ok(args)
}

/// How `union` is represented; `None` for an enum of unit variants only (a
/// string enum) or one whose serde impls are not derived (an open enum
/// already); or why it cannot be opened.
fn representation(union: &ItemEnum) -> Result<Option<Repr>, String> {
    if !derives(&union.attrs, "Deserialize") {
        return Ok(None);
    }
    let mut tag = None;
    let mut content = false;
    let mut untagged = false;
    for (key, value) in serde_args(&union.attrs)? {
        match (key.as_str(), value) {
            ("untagged", None) => untagged = true,
            ("tag", Some(value)) => tag = Some(value),
            ("content", Some(_)) => content = true,
            ("deny_unknown_fields", None) => {}
            (other, _) => return Err(format!("serde attribute `{other}` on the enum")),
        }
    }
    if untagged {
        return Ok(Some(Repr::Untagged));
    }
    for variant in &union.variants {
        for (key, _) in serde_args(&variant.attrs)? {
            if key != "rename" {
                return Err(format!(
                    "serde attribute `{key}` on variant `{}`",
                    variant.ident
                ));
            }
        }
    }
    Ok(match (tag, content) {
        (Some(tag), false) => Some(Repr::Internal(tag)),
        (Some(tag), true) => Some(Repr::Adjacent(tag)),
        (None, _) if union.variants.iter().all(|v| v.fields.is_empty()) => None,
        (None, _) => Some(Repr::External),
    })
}

/// A variant holding any JSON value: the union is open already.
fn holds_any_json(variant: &syn::Variant) -> bool {
    let Fields::Unnamed(fields) = &variant.fields else {
        return false;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    let syn::Type::Path(path) = &field.ty else {
        return false;
    };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments.ends_with(&["serde_json".to_owned(), "Value".to_owned()])
}

fn is_display(imp: &syn::ItemImpl) -> bool {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|last| last.ident == "Display")
}

fn self_name(imp: &syn::ItemImpl) -> Option<String> {
    match imp.self_ty.as_ref() {
        syn::Type::Path(ty) => ty.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// typify's `Display` impl for `name`, if it has one.
fn display_impl<'a>(items: &'a [Item], name: &syn::Ident) -> Option<&'a syn::ItemImpl> {
    items.iter().find_map(|item| match item {
        Item::Impl(imp) if is_display(imp) && self_name(imp) == Some(name.to_string()) => Some(imp),
        _ => None,
    })
}

fn is_display_of(imp: &syn::ItemImpl, opened: &[String]) -> bool {
    is_display(imp) && self_name(imp).is_some_and(|name| opened.contains(&name))
}

/// The opened enum and what goes with it (the serde impls of a tagged one,
/// the `Display` impl with an arm for the catch-all), in place of `union`
/// and its `Display` impl.
fn opened(
    union: &ItemEnum,
    repr: &Repr,
    display: Option<&syn::ItemImpl>,
) -> Result<Vec<Item>, String> {
    let name = &union.ident;
    let idents: Vec<&syn::Ident> = union.variants.iter().map(|v| &v.ident).collect();
    let unknown = free_catch_all(&idents);
    let mut open = union.clone();
    strip_derives(&mut open.attrs, &["Copy", "PartialOrd", "Ord"]);
    let enum_doc =
        format!(" as [`{name}::{unknown}`], with its JSON, instead of failing the call.");
    let doc_at = open
        .attrs
        .iter()
        .rposition(is_doc)
        .map_or(0, |last_doc| last_doc + 1);
    let enum_docs: Vec<Attribute> = syn::parse_quote! {
        ///
        /// This union is open: a value of a kind this client does not know decodes
        #[doc = #enum_doc]
    };
    open.attrs.splice(doc_at..doc_at, enum_docs);
    let variant_doc: Vec<Attribute> = syn::parse_quote! {
        /// A value of a kind this client does not know (the API added it
        /// after this client was generated, or sends one the spec does not
        /// name), kept as its raw JSON: decoding it does not fail the call,
        /// and serializing writes it back unchanged.
    };
    let mut items = Vec::new();
    if *repr == Repr::Untagged {
        let variant: syn::Variant = syn::parse_quote! {
            #(#variant_doc)*
            #unknown(::serde_json::Value)
        };
        open.variants.push(variant);
        items.push(Item::Enum(open));
    } else {
        items.extend(tagged(&mut open, repr, &unknown, &variant_doc));
    }
    if let Some(display) = display {
        items.push(Item::Impl(display_with_catch_all(display, &unknown)?));
    }
    Ok(items)
}

fn is_doc(attr: &Attribute) -> bool {
    matches!(&attr.meta, Meta::NameValue(nv) if nv.path.is_ident("doc"))
}

/// Removes the named traits from `#[derive(...)]` (a JSON value is not
/// `Copy` and has no order).
fn strip_derives(attrs: &mut [Attribute], names: &[&str]) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept = paths.into_iter().filter(|path| {
            !path
                .segments
                .last()
                .is_some_and(|last| names.contains(&last.ident.to_string().as_str()))
        });
        let kept: Vec<syn::Path> = kept.collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .any(|path| path.segments.last().is_some_and(|last| last.ident == name))
}

/// A tagged enum with a catch-all: the public enum without serde derives,
/// a private mirror carrying them (`#[serde(remote = ...)]`), and serde
/// impls that decode an undocumented tag as the catch-all.
fn tagged(
    open: &mut ItemEnum,
    repr: &Repr,
    unknown: &syn::Ident,
    variant_doc: &[Attribute],
) -> Vec<Item> {
    let name = open.ident.clone();
    let name_str = name.to_string();
    let mirror_name = format_ident!("__{}", name);
    let tags: Vec<String> = open
        .variants
        .iter()
        .map(|variant| {
            serde_args(&variant.attrs)
                .ok()
                .into_iter()
                .flatten()
                .find_map(|(key, value)| (key == "rename").then_some(value).flatten())
                .unwrap_or_else(|| variant.ident.to_string())
        })
        .collect();

    let mut mirror = open.clone();
    mirror.ident = mirror_name.clone();
    mirror.vis = syn::Visibility::Inherited;
    let container_serde: Vec<Attribute> = open
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .cloned()
        .collect();
    mirror.attrs = syn::parse_quote! {
        #[derive(::serde::Deserialize, ::serde::Serialize)]
        #[serde(remote = #name_str)]
        #(#container_serde)*
        #[allow(dead_code)]
    };
    RetainSerde.visit_item_enum_mut(&mut mirror);
    mirror.attrs.retain(|a| !is_doc(a));
    mirror.variants.push(syn::parse_quote! {
        #[serde(skip)]
        #unknown(::serde_json::Value)
    });

    strip_derives(&mut open.attrs, &["Serialize", "Deserialize"]);
    // The serde attributes stay for schemars' derive, which reads them; the
    // catch-all is no documented kind, so the JSON Schema leaves it out.
    let schema_derive = derives(&open.attrs, "JsonSchema");
    if !schema_derive {
        DropSerde.visit_item_enum_mut(open);
    }
    let skip: Option<Attribute> = schema_derive.then(|| syn::parse_quote!(#[serde(skip)]));
    open.variants.push(syn::parse_quote! {
        #(#variant_doc)*
        #skip
        #unknown(::serde_json::Value)
    });

    let tag_of = match repr {
        Repr::Internal(tag) | Repr::Adjacent(tag) => quote! {
            value.get(#tag).and_then(::serde_json::Value::as_str)
        },
        Repr::External | Repr::Untagged => quote! {
            match &value {
                ::serde_json::Value::String(tag) => ::std::option::Option::Some(tag.as_str()),
                ::serde_json::Value::Object(map) if map.len() == 1 => {
                    map.keys().next().map(::std::string::String::as_str)
                }
                _ => ::std::option::Option::None,
            }
        },
    };
    let impls: TokenStream = quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::#unknown(value) => ::serde::Serialize::serialize(value, serializer),
                    _ => #mirror_name::serialize(self, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let documented = (#tag_of).is_some_and(|tag| [#(#tags),*].contains(&tag));
                if documented {
                    #mirror_name::deserialize(value)
                        .map_err(<D::Error as ::serde::de::Error>::custom)
                } else {
                    ::std::result::Result::Ok(Self::#unknown(value))
                }
            }
        }
    };
    let mut items = vec![Item::Enum(open.clone()), Item::Enum(mirror)];
    match syn::parse2::<syn::File>(impls) {
        Ok(file) => items.extend(file.items),
        // The template is fixed; the tests below parse it.
        Err(e) => items.push(Item::Verbatim(e.to_compile_error())),
    }
    items
}

/// Keeps only `serde` attributes (on variants and fields).
struct RetainSerde;

impl VisitMut for RetainSerde {
    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        variant.attrs.retain(|a| a.path().is_ident("serde"));
        syn::visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        field.attrs.retain(|a| a.path().is_ident("serde"));
    }
}

/// Removes every `serde` attribute (without a serde or schemars derive,
/// nothing would read them).
struct DropSerde;

impl VisitMut for DropSerde {
    fn visit_item_enum_mut(&mut self, item: &mut ItemEnum) {
        item.attrs.retain(|a| !a.path().is_ident("serde"));
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        variant.attrs.retain(|a| !a.path().is_ident("serde"));
        syn::visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        field.attrs.retain(|a| !a.path().is_ident("serde"));
    }
}

/// typify's `Display` impl of a union matches on `self`; the catch-all shows
/// its JSON.
fn display_with_catch_all(
    display: &syn::ItemImpl,
    unknown: &syn::Ident,
) -> Result<syn::ItemImpl, String> {
    let mut display = display.clone();
    let mut added = false;
    for member in &mut display.items {
        let syn::ImplItem::Fn(method) = member else {
            continue;
        };
        let Some(formatter) = method.sig.inputs.iter().nth(1).and_then(|arg| match arg {
            syn::FnArg::Typed(typed) => match typed.pat.as_ref() {
                syn::Pat::Ident(ident) => Some(ident.ident.clone()),
                _ => None,
            },
            syn::FnArg::Receiver(_) => None,
        }) else {
            continue;
        };
        for stmt in &mut method.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Match(matched), _) = stmt else {
                continue;
            };
            let arm: syn::Arm = match matched.expr.as_ref() {
                syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => {
                    syn::parse_quote! {
                        Self::#unknown(ref value) => ::std::fmt::Display::fmt(value, #formatter),
                    }
                }
                _ => syn::parse_quote! {
                    Self::#unknown(value) => ::std::fmt::Display::fmt(value, #formatter),
                },
            };
            matched.arms.push(arm);
            added = true;
        }
    }
    if added {
        Ok(display)
    } else {
        Err("its `Display` impl does not match on the variants".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn open_in(module: TokenStream, roots: &[&str]) -> (String, Outcome) {
        let mut file: syn::File = syn::parse2(module).unwrap();
        let roots = roots.iter().map(|r| (*r).to_owned()).collect();
        let outcome = open(&mut file, &roots);
        let text = file.to_token_stream().to_string();
        syn::parse_str::<syn::File>(&text).expect("the output parses");
        (text, outcome)
    }

    fn types_with_content() -> TokenStream {
        quote! {
            pub mod types {
                /// A message.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, schemars::JsonSchema)]
                pub struct Message {
                    pub content: ::std::vec::Vec<Content>,
                }
                /// Message content
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, schemars::JsonSchema)]
                #[serde(untagged)]
                pub enum Content {
                    PlainText { plain_text: PlainTextContent },
                    Other(Other),
                }
                pub struct PlainTextContent { pub text: String }
                pub struct Other;
                impl ::std::fmt::Display for Content {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match self {
                            Self::PlainText { .. } => f.write_str("plain"),
                            Self::Other(x) => x.fmt(f),
                        }
                    }
                }
                /// Only sent.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum UserInput {
                    Text { text: String },
                    CallbackId { callback_id: String },
                }
                pub struct CreateRequest { pub input: UserInput }
            }
        }
    }

    /// `tokens` as the tests' output prints them.
    fn text(tokens: TokenStream) -> String {
        tokens.to_string()
    }

    #[test]
    fn decoded_untagged_unions_get_a_last_catch_all() {
        let (out, outcome) = open_in(types_with_content(), &["Message"]);
        assert_eq!(outcome.opened, ["Content"]);
        assert!(outcome.closed.is_empty());
        let catch_all = text(quote! {
            Other(Other),
            /// A value of a kind this client does not know (the API added it
            /// after this client was generated, or sends one the spec does not
            /// name), kept as its raw JSON: decoding it does not fail the call,
            /// and serializing writes it back unchanged.
            Unknown(::serde_json::Value)
        });
        assert!(
            out.contains(&format!("{catch_all} }}")),
            "the catch-all comes last: {out}"
        );
        assert!(
            out.contains("does not know decodes\"] # [doc = \" as [`Content::Unknown`]"),
            "{out}"
        );
        assert!(!out.contains("Copy"), "a JSON value is not Copy: {out}");
        assert!(
            out.contains(&text(quote! {
                Self::Unknown(value) => ::std::fmt::Display::fmt(value, f),
            })),
            "{out}"
        );
        assert_eq!(
            out.matches("impl :: std :: fmt :: Display for Content")
                .count(),
            1
        );
    }

    #[test]
    fn request_only_unions_stay_closed() {
        let (text, _) = open_in(types_with_content(), &["Message"]);
        let input = &text[text.find("pub enum UserInput").unwrap()..];
        let input = &input[..input.find('}').unwrap() + 1];
        assert!(!input.contains("Unknown"), "{input}");
    }

    #[test]
    fn client_return_types_are_roots() {
        let mut module = types_with_content();
        module.extend(quote! {
            impl Client {
                pub async fn get(&self) -> Result<ResponseValue<types::Message>, Error<()>> { todo!() }
            }
        });
        let (_, outcome) = open_in(module, &[]);
        assert_eq!(outcome.opened, ["Content"]);
    }

    #[test]
    fn a_taken_unknown_name_gives_unknown_value() {
        let (text, _) = open_in(
            quote! {
                pub mod types {
                    #[derive(::serde::Deserialize)]
                    #[serde(untagged)]
                    pub enum Kind { Unknown(String), Known(i64) }
                }
            },
            &["Kind"],
        );
        assert!(
            text.contains("UnknownValue (:: serde_json :: Value)"),
            "{text}"
        );
    }

    #[test]
    fn string_enums_and_unions_open_already_are_left_alone() {
        let (text, outcome) = open_in(
            quote! {
                pub mod types {
                    #[derive(::serde::Deserialize)]
                    pub enum Tag { #[serde(rename = "PLAIN_TEXT")] PlainText }
                    #[derive(::serde::Deserialize)]
                    #[serde(untagged)]
                    pub enum Anything { Number(f64), Json(::serde_json::Value) }
                    /// An open enum: hand-written serde impls.
                    #[derive(Clone, Debug)]
                    pub enum Status { Done, Unknown(String) }
                }
            },
            &["Tag", "Anything", "Status"],
        );
        assert!(outcome.opened.is_empty() && outcome.closed.is_empty());
        assert_eq!(text.matches("Unknown").count(), 1, "{text}");
    }

    #[test]
    fn internally_tagged_unions_move_their_derives_to_a_mirror() {
        let (out, outcome) = open_in(
            quote! {
                pub mod types {
                    /// Where a page lives.
                    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, schemars::JsonSchema)]
                    #[serde(tag = "type")]
                    pub enum Parent {
                        /// A page.
                        #[serde(rename = "page_id")]
                        PageId {
                            /// Its id.
                            page_id: String
                        },
                        Workspace,
                    }
                }
            },
            &["Parent"],
        );
        assert_eq!(outcome.opened, ["Parent"]);
        let public = text(quote! {
            /// Where a page lives.
            ///
        });
        assert!(out.contains(&public), "{out}");
        let public = text(quote! {
            #[derive(Clone, Debug, schemars::JsonSchema)]
            #[serde(tag = "type")]
            pub enum Parent {
                /// A page.
                #[serde(rename = "page_id")]
                PageId {
                    /// Its id.
                    page_id: String
                },
                Workspace,
                /// A value of a kind this client does not know (the API added it
                /// after this client was generated, or sends one the spec does not
                /// name), kept as its raw JSON: decoding it does not fail the call,
                /// and serializing writes it back unchanged.
                #[serde(skip)]
                Unknown(::serde_json::Value)
            }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(remote = "Parent")]
            #[serde(tag = "type")]
            #[allow(dead_code)]
            enum __Parent {
                #[serde(rename = "page_id")]
                PageId { page_id: String },
                Workspace,
                #[serde(skip)]
                Unknown(::serde_json::Value)
            }
        });
        assert!(out.contains(&public), "{out}");
        assert!(
            out.contains(&text(quote! {
                value.get("type").and_then(::serde_json::Value::as_str)
            })),
            "{out}"
        );
        assert!(
            out.contains(&text(quote!(["page_id", "Workspace"].contains(&tag)))),
            "{out}"
        );
        assert!(
            out.contains(&text(quote!(_ => __Parent::serialize(self, serializer),))),
            "{out}"
        );
    }

    #[test]
    fn externally_tagged_unions_read_the_tag_from_the_key() {
        let (text, outcome) = open_in(
            quote! {
                pub mod types {
                    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                    pub enum FunctionCall {
                        #[serde(rename = "none")]
                        None,
                        #[serde(rename = "name")]
                        Name(String),
                    }
                }
            },
            &["FunctionCall"],
        );
        assert_eq!(outcome.opened, ["FunctionCall"]);
        assert!(text.contains("map . len () == 1"), "{text}");
        assert!(
            text.contains("[\"none\" , \"name\"] . contains (& tag)"),
            "{text}"
        );
        // Without a schemars derive nothing would read serde attributes on
        // the public enum.
        let public = &text[text.find("pub enum FunctionCall").unwrap()..];
        let public = &public[..public.find("# [derive").unwrap()];
        assert!(!public.contains("serde ("), "{public}");
    }

    #[test]
    fn unknown_serde_attributes_leave_the_union_closed_and_say_why() {
        let (text, outcome) = open_in(
            quote! {
                pub mod types {
                    #[derive(::serde::Deserialize)]
                    #[serde(tag = "kind", rename_all = "snake_case")]
                    pub enum Shape { Circle { r: f64 } }
                }
            },
            &["Shape"],
        );
        assert!(outcome.opened.is_empty());
        assert_eq!(
            outcome.closed,
            [(
                "Shape".to_owned(),
                "serde attribute `rename_all` on the enum".to_owned()
            )]
        );
        assert!(!text.contains("Unknown"), "{text}");
    }
}
