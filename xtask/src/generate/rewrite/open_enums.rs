//! Open enums: typify generates closed enums, which fail to decode a value
//! added to the API after generation. For every enum the normalization
//! marked open (see `normalize::response_enums`), typify's enum and its
//! conversion impls are replaced by an enum with the same variants plus
//! `Unknown(String)`, with hand-rolled serde and JSON Schema impls that keep
//! the wire value exactly. An enum that already documents a value spelled
//! `unknown` (a common one) keeps it as its `Unknown` variant, and the
//! catch-all becomes `UnknownValue`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Attribute, Fields, Item, ItemEnum, Meta};

use crate::normalize::OPEN_ENUM_EXTENSION;
use crate::rust_names::type_name;

/// The Rust names of the enums the normalization marked open.
pub fn marked_open(normalized: &Value) -> Vec<String> {
    normalized
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get(OPEN_ENUM_EXTENSION) == Some(&Value::Bool(true)))
        .map(|(name, _)| type_name(name))
        .collect()
}

/// Replaces each enum named in `names` inside `mod types`. Returns the names
/// that were not found (or are not plain string enums), so the caller can
/// report them instead of silently shipping a closed enum.
pub fn open(file: &mut syn::File, names: &[String]) -> Vec<String> {
    let Some(types) = types_module(file) else {
        return names.to_vec();
    };
    // One pass to find the enums to open, one to rebuild the module: a
    // search, a `retain` and a splice per enum were quadratic in the
    // module's size (seconds on a spec with hundreds of open enums).
    let wanted: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut opening: BTreeMap<String, Vec<(syn::Ident, String)>> = BTreeMap::new();
    for item in types.iter() {
        if let Item::Enum(closed) = item
            && wanted.contains(closed.ident.to_string().as_str())
            && let Some(variants) = unit_variants(closed)
        {
            opening.insert(closed.ident.to_string(), variants);
        }
    }
    let missing = names
        .iter()
        .filter(|name| !opening.contains_key(*name))
        .cloned()
        .collect();
    let items = std::mem::take(types);
    for item in items {
        match &item {
            Item::Enum(closed) if opening.contains_key(&closed.ident.to_string()) => {
                let variants = &opening[&closed.ident.to_string()];
                types.extend(open_enum(closed, variants));
            }
            _ if conversion_impl_target(&item).is_some_and(|name| opening.contains_key(&name)) => {}
            _ => types.push(item),
        }
    }
    missing
}

fn types_module(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "types" => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// The type a typify `Display`, `FromStr`, `TryFrom` or `From` impl is for;
/// the open enum brings its own, infallible ones.
fn conversion_impl_target(item: &Item) -> Option<String> {
    let Item::Impl(imp) = item else { return None };
    let syn::Type::Path(self_ty) = imp.self_ty.as_ref() else {
        return None;
    };
    let (trait_path, _) = imp.trait_.as_ref()?;
    let last = trait_path.segments.last()?.ident.to_string();
    matches!(last.as_str(), "Display" | "FromStr" | "TryFrom" | "From")
        .then(|| self_ty.path.get_ident().map(ToString::to_string))
        .flatten()
}

/// `(variant ident, wire value)` for an enum of unit variants.
fn unit_variants(item: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    item.variants
        .iter()
        .map(|variant| {
            if !matches!(variant.fields, Fields::Unit) {
                return None;
            }
            let wire = serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
            Some((variant.ident.clone(), wire))
        })
        .collect()
}

fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|attr| {
            let mut rename = None;
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                }
                Ok(())
            });
            rename
        })
}

fn docs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs
        .iter()
        .filter(|a| matches!(&a.meta, Meta::NameValue(nv) if nv.path.is_ident("doc")))
        .collect()
}

fn doc_string(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = docs(attrs)
        .into_iter()
        .filter_map(|a| match &a.meta {
            Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }),
                ..
            }) => Some(s.value().trim().to_owned()),
            _ => None,
        })
        .collect();
    lines.join("\n").trim().to_owned()
}

/// `Unknown`, or the first of `UnknownValue`, `UnknownValue2`, ... that no
/// documented variant already uses.
fn catch_all_ident(variants: &[(syn::Ident, String)]) -> syn::Ident {
    let idents: Vec<&syn::Ident> = variants.iter().map(|(ident, _)| ident).collect();
    free_catch_all(&idents)
}

/// [`catch_all_ident`] among the variants `idents` (of any kind).
pub(super) fn free_catch_all(idents: &[&syn::Ident]) -> syn::Ident {
    let taken = |candidate: &syn::Ident| idents.contains(&candidate);
    let mut candidate = format_ident!("Unknown");
    let mut attempt = 1;
    while taken(&candidate) {
        candidate = if attempt == 1 {
            format_ident!("UnknownValue")
        } else {
            format_ident!("UnknownValue{attempt}")
        };
        attempt += 1;
    }
    candidate
}

fn open_enum(closed: &ItemEnum, variants: &[(syn::Ident, String)]) -> Vec<Item> {
    let name = &closed.ident;
    let name_str = name.to_string();
    let docs = docs(&closed.attrs);
    let description = doc_string(&closed.attrs);
    let idents: Vec<_> = variants.iter().map(|(ident, _)| ident).collect();
    let wires: Vec<_> = variants.iter().map(|(_, wire)| wire).collect();
    let variant_docs: Vec<_> = wires.iter().map(|wire| format!("`{wire}`")).collect();
    let unknown = catch_all_ident(variants);
    let unknown_doc = format!(" [`{name_str}::{unknown}`] instead of failing the call.");
    let tokens: TokenStream = quote! {
        #(#docs)*
        ///
        /// This enum is open: a value this client does not know decodes as
        #[doc = #unknown_doc]
        ///
        /// Values compare, order and hash by their wire value, whatever the
        /// variant: a value the spec adds later moves no other in the order.
        #[derive(Clone, Debug)]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #idents,
            )*
            /// A value not documented when this client was generated, kept verbatim.
            #unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value the spec did not document.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }
        }

        impl ::std::cmp::PartialEq for #name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for #name {}

        impl ::std::cmp::PartialOrd for #name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl ::std::cmp::Ord for #name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl ::std::hash::Hash for #name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state);
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#idents,)*
                    _ => Self::#unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #name_str.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                // A variable, not a literal list inside the macro: `json!`
                // recurses once per element and hits the recursion limit on
                // enums of a few hundred values.
                let values: &[&str] = &[#(#wires),*];
                ::schemars::json_schema!({
                    "description": #description,
                    "anyOf": [
                        { "type": "string", "enum": values },
                        { "type": "string", "description": "A value not documented when this client was generated." }
                    ]
                })
            }
        }
    };
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => file.items,
        // The template is fixed; a failure here is a bug in this file, which
        // the tests below would catch first.
        Err(e) => vec![Item::Verbatim(
            syn::Error::new(e.span(), e.to_string()).to_compile_error(),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typify_like() -> syn::File {
        syn::parse2(quote! {
            pub mod types {
                #[doc = "Feedback submission status"]
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, schemars::JsonSchema)]
                pub enum Status {
                    #[serde(rename = "SUBMITTED")]
                    Submitted,
                    Plain,
                }
                impl ::std::fmt::Display for Status {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() }
                }
                impl ::std::str::FromStr for Status {
                    type Err = ();
                    fn from_str(value: &str) -> Result<Self, ()> { todo!() }
                }
                impl ::std::convert::TryFrom<&str> for Status {
                    type Error = ();
                    fn try_from(value: &str) -> Result<Self, ()> { todo!() }
                }
                impl Default for Status {
                    fn default() -> Self { Status::Submitted }
                }
                pub struct Other;
            }
        })
        .unwrap()
    }

    #[test]
    fn replaces_the_enum_and_its_conversions() {
        let mut file = typify_like();
        assert!(open(&mut file, &["Status".to_owned()]).is_empty());
        let text = quote!(#file).to_string();
        assert!(
            text.contains("Unknown (:: std :: string :: String)"),
            "{text}"
        );
        assert!(
            text.contains("Self :: Submitted => \"SUBMITTED\""),
            "{text}"
        );
        assert!(text.contains("Self :: Plain => \"Plain\""), "{text}");
        // Equality, order and hash follow the wire value, not the variant
        // order, which changes when the spec adds a value.
        assert!(!text.contains("PartialOrd ,"), "{text}");
        assert!(
            text.contains("self . as_str () . cmp (other . as_str ())"),
            "{text}"
        );
        assert!(
            text.contains("self . as_str () == other . as_str ()"),
            "{text}"
        );
        assert!(
            text.contains("Hash :: hash (self . as_str () , state)"),
            "{text}"
        );
        assert!(
            !text.contains("TryFrom"),
            "typify's fallible conversions are gone"
        );
        assert!(
            text.contains("impl Default for Status"),
            "other impls are kept"
        );
        assert!(text.contains("pub struct Other"));
        assert!(
            !text.contains("Copy"),
            "an enum holding a String cannot be Copy"
        );
    }

    #[test]
    fn a_documented_unknown_value_keeps_its_variant() {
        let mut file: syn::File = syn::parse2(quote! {
            pub mod types {
                pub enum State {
                    #[serde(rename = "unknown")]
                    Unknown,
                    #[serde(rename = "UnknownValue")]
                    UnknownValue,
                    #[serde(rename = "ready")]
                    Ready,
                }
            }
        })
        .unwrap();
        assert!(open(&mut file, &["State".to_owned()]).is_empty());
        let text = quote!(#file).to_string();
        assert!(text.contains("\"unknown\" => Self :: Unknown"), "{text}");
        assert!(
            text.contains("UnknownValue2 (:: std :: string :: String)"),
            "{text}"
        );
        assert!(text.contains("Self :: UnknownValue2 (value) => value . as_str ()"));
        assert!(text.contains("matches ! (self , Self :: UnknownValue2 (_))"));
        assert!(text.contains("_ => Self :: UnknownValue2 (value)"));
        assert!(text.contains("other => Self :: UnknownValue2 (other . to_owned ())"));
        syn::parse2::<syn::File>(quote!(#file)).expect("parses");
    }

    #[test]
    fn the_json_schema_lists_values_outside_the_macro() {
        let mut file = typify_like();
        open(&mut file, &["Status".to_owned()]);
        let text = quote!(#file).to_string();
        assert!(
            text.contains("let values : & [& str] = & [\"SUBMITTED\" , \"Plain\"]"),
            "{text}"
        );
        assert!(text.contains("\"enum\" : values"), "{text}");
    }

    #[test]
    fn reports_enums_it_cannot_open() {
        let mut file = typify_like();
        assert_eq!(open(&mut file, &["Missing".to_owned()]), ["Missing"]);
    }
}
