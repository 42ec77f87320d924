//! `Type::new(required fields)` for every struct a request can carry.
//!
//! Request types are `#[non_exhaustive]` like every generated type, so code
//! outside the crate builds them through a constructor or a builder. The
//! constructor takes exactly the required fields, positionally: when the
//! spec makes a request field required, `new` gains a parameter, which
//! cargo-semver-checks reports as a breaking change naming `Type::new`. (A
//! builder would only fail at run time.) A field the spec adds as optional
//! leaves `new` as it is.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;
use syn::{Fields, ImplItem, Item, Type};

/// Adds `new` to the request structs of `file`'s `types` module; returns
/// their names. `with_builders` says whether the types have builders to
/// point at in the docs.
pub fn add(file: &mut syn::File, with_builders: bool) -> Vec<String> {
    let roots = client_parameter_types(file);
    let Some(items) = super::types_items(file) else {
        return Vec::new();
    };
    let known: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Item::Struct(s) => Some((s.ident.to_string(), i)),
            Item::Enum(e) => Some((e.ident.to_string(), i)),
            _ => None,
        })
        .collect();
    let mut reached = BTreeSet::new();
    let mut pending: Vec<String> = roots
        .into_iter()
        .filter(|n| known.contains_key(n))
        .collect();
    while let Some(name) = pending.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let mut names = TypeNames::default();
        match &items[known[&name]] {
            Item::Struct(s) => names.visit_fields(&s.fields),
            Item::Enum(e) => e
                .variants
                .iter()
                .for_each(|v| names.visit_fields(&v.fields)),
            _ => {}
        }
        pending.extend(names.0.into_iter().filter(|n| known.contains_key(n)));
    }
    let mut added = Vec::new();
    let mut constructors = Vec::new();
    let with_new = super::types_with_inherent_method(items, "new");
    for name in &reached {
        let Item::Struct(item) = &items[known[name]] else {
            continue;
        };
        let Fields::Named(fields) = &item.fields else {
            continue;
        };
        if with_new.contains(name) {
            continue;
        }
        constructors.push(constructor(&item.ident, fields, with_builders));
        added.push(name.clone());
    }
    items.extend(constructors);
    added
}

/// The names in `types::...` paths of the parameters of `Client`'s methods.
fn client_parameter_types(file: &syn::File) -> BTreeSet<String> {
    let mut names = TypesPaths::default();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some()
            || !matches!(&*imp.self_ty, Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for member in &imp.items {
            if let ImplItem::Fn(method) = member {
                for input in &method.sig.inputs {
                    names.visit_fn_arg(input);
                }
            }
        }
    }
    names.0
}

/// Last segments of paths that go through `types`.
#[derive(Default)]
struct TypesPaths(BTreeSet<String>);

impl Visit<'_> for TypesPaths {
    fn visit_path(&mut self, path: &syn::Path) {
        let segments: Vec<_> = path.segments.iter().collect();
        if let [.., module, last] = segments.as_slice()
            && module.ident == "types"
        {
            self.0.insert(last.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }
}

/// Every identifier in a path of a type.
#[derive(Default)]
struct TypeNames(BTreeSet<String>);

impl TypeNames {
    fn visit_fields(&mut self, fields: &Fields) {
        for field in fields {
            self.visit_type(&field.ty);
        }
    }
}

impl Visit<'_> for TypeNames {
    fn visit_path_segment(&mut self, segment: &syn::PathSegment) {
        self.0.insert(segment.ident.to_string());
        syn::visit::visit_path_segment(self, segment);
    }
}

/// How a field the constructor does not take starts out.
enum Start {
    Required,
    Default,
    DefaultFn(syn::ExprPath),
}

fn start_of(field: &syn::Field) -> Start {
    let mut start = None;
    let mut flatten = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                start = Some(match meta.value() {
                    Ok(value) => {
                        let path: syn::LitStr = value.parse()?;
                        match path.parse::<syn::ExprPath>() {
                            Ok(path) => Start::DefaultFn(path),
                            Err(_) => Start::Default,
                        }
                    }
                    Err(_) => Start::Default,
                });
            } else if meta.path.is_ident("flatten") {
                flatten = true;
            } else if meta.input.peek(syn::Token![=]) {
                // Skip `name = "value"` of the other serde attributes.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    if let Some(start) = start {
        return start;
    }
    let last = match &field.ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    match last.as_deref() {
        Some("Option") => Start::Default,
        // A flattened map collects the properties nobody named.
        Some("Map" | "HashMap" | "BTreeMap") if flatten => Start::Default,
        _ => Start::Required,
    }
}

fn constructor(name: &syn::Ident, fields: &syn::FieldsNamed, with_builders: bool) -> Item {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let ty = &field.ty;
        match start_of(field) {
            Start::Required => {
                params.push(quote::quote!(#ident: impl ::std::convert::Into<#ty>));
                inits.push(quote::quote!(#ident: #ident.into()));
            }
            Start::Default => inits.push(quote::quote!(#ident: ::std::default::Default::default())),
            Start::DefaultFn(path) => inits.push(quote::quote!(#ident: #path())),
        }
    }
    let doc = format!(" A `{name}` from its required fields; the optional ones start unset.");
    let more = if with_builders {
        format!(
            " Set those on the value, or build it with [`{name}::builder`]. A field the spec makes required becomes a parameter here."
        )
    } else {
        " Set those on the value. A field the spec makes required becomes a parameter here."
            .to_owned()
    };
    syn::parse_quote! {
        impl #name {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #more]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn sample() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub struct CreateRequest {
                    pub input: UserInput,
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub tags: ::std::vec::Vec<::std::string::String>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub title: ::std::option::Option<::std::string::String>,
                    #[serde(default = "defaults::create_request_limit")]
                    pub limit: i64,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
                pub struct UserInput { pub text: ::std::string::String }
                pub enum Choice { A(Nested) }
                pub struct Nested { pub id: i64 }
                pub struct Response { pub id: ::std::string::String }
                pub struct Unused { pub id: ::std::string::String }
            }
            pub struct Client;
            impl Client {
                pub async fn create<'a>(&'a self, id: &'a str, body: &'a types::CreateRequest) -> Result<ResponseValue<types::Response>, Error<()>> { todo!() }
                pub async fn pick<'a>(&'a self, choice: Option<types::Choice>) -> Result<(), Error<()>> { todo!() }
            }
        }
    }

    #[test]
    fn request_structs_get_a_constructor_of_their_required_fields() {
        let mut file = sample();
        let added = add(&mut file, true);
        assert_eq!(added, ["CreateRequest", "Nested", "UserInput"]);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(
                "pub fn new (input : impl :: std :: convert :: Into < UserInput >) -> Self"
            ),
            "{text}"
        );
        assert!(text.contains("input : input . into ()"), "{text}");
        assert!(
            text.contains("tags : :: std :: default :: Default :: default ()"),
            "{text}"
        );
        assert!(
            text.contains("title : :: std :: default :: Default :: default ()"),
            "{text}"
        );
        assert!(
            text.contains("limit : defaults :: create_request_limit ()"),
            "{text}"
        );
        assert!(
            text.contains("extra : :: std :: default :: Default :: default ()"),
            "{text}"
        );
        assert!(text.contains("[`CreateRequest::builder`]"), "{text}");
        // Reached through an enum variant.
        assert!(
            text.contains("pub fn new (id : impl :: std :: convert :: Into < i64 >)"),
            "{text}"
        );
        // Response-only and unused types have none.
        assert_eq!(text.matches("pub fn new").count(), 3, "{text}");
    }

    #[test]
    fn an_existing_new_is_kept_and_docs_do_not_link_missing_builders() {
        let mut file = sample();
        let Item::Mod(types) = &mut file.items[0] else {
            unreachable!()
        };
        types.content.as_mut().unwrap().1.push(syn::parse_quote! {
            impl UserInput { pub fn new() -> Self { todo!() } }
        });
        let added = add(&mut file, false);
        assert_eq!(added, ["CreateRequest", "Nested"]);
        let text = file.to_token_stream().to_string();
        assert!(!text.contains("::builder"), "{text}");
    }

    #[test]
    fn only_inherent_client_methods_make_request_types_and_only_inherent_new_counts() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Body { pub id: i64 }
                pub struct ViaTrait { pub id: i64 }
                pub struct ViaOther { pub id: i64 }
                impl Named for Body { fn new() -> Self { todo!() } }
            }
            impl Client { pub async fn put(&self, body: &types::Body) {} }
            impl ClientInfo for Client { fn info(&self, x: &types::ViaTrait) {} }
            impl Other { pub async fn put(&self, body: &types::ViaOther) {} }
        };
        // A trait's `new` is not the inherent constructor.
        assert_eq!(add(&mut file, true), ["Body"]);
    }

    #[test]
    fn a_required_map_that_is_not_flattened_is_a_parameter() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Body { pub labels: ::std::collections::HashMap<String, String> }
            }
            impl Client { pub async fn put(&self, body: &types::Body) {} }
        };
        assert_eq!(add(&mut file, true), ["Body"]);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("pub fn new (labels : impl"), "{text}");
    }
}
