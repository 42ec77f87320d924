//! `#[non_exhaustive]` on every generated type, so that what the spec
//! usually adds is a minor change, not a breaking one: a new field cannot
//! break a struct literal nobody outside the crate can write, and a new enum
//! value cannot break a `match` that must already have a wildcard arm.
//! Values are built through constructors and builders instead (see
//! [`super::type_builders`] and [`super::request_constructors`]).

use syn::{Attribute, Item};

/// Marks the structs and enums directly in the `types` module (not the
/// builders or the error type in its submodules). Returns how many.
pub fn mark(file: &mut syn::File) -> usize {
    let Some(items) = super::types_items(file) else {
        return 0;
    };
    let mut marked = 0;
    for item in items {
        let attrs = match item {
            Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => &mut s.attrs,
            Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => &mut e.attrs,
            _ => continue,
        };
        if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            continue;
        }
        let attr: Attribute = syn::parse_quote!(#[non_exhaustive]);
        attrs.push(attr);
        marked += 1;
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn public_structs_and_enums_of_types_are_marked_once() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod other { pub struct NotAType; }
            pub mod types {
                pub struct Request { pub a: i64 }
                pub struct Id(pub String);
                pub enum Status { Ok, Unknown(String) }
                #[non_exhaustive]
                pub enum Already { A }
                struct Private;
                pub mod builder { pub struct Request { a: Result<i64, String> } }
                pub mod error { pub struct ConversionError(String); }
            }
            pub struct Client;
        };
        assert_eq!(mark(&mut file), 3);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("# [non_exhaustive]").count(), 4, "{text}");
        assert!(
            text.contains("# [non_exhaustive] pub struct Request { pub a"),
            "{text}"
        );
        assert!(text.contains("# [non_exhaustive] pub struct Id"), "{text}");
        assert!(
            text.contains("# [non_exhaustive] pub enum Status"),
            "{text}"
        );
        // Builders, errors, private items and items outside `types` stay.
        assert!(
            text.contains("pub mod builder { pub struct Request"),
            "{text}"
        );
        assert!(
            text.contains("pub mod error { pub struct ConversionError"),
            "{text}"
        );
        assert!(text.contains("struct Private"), "{text}");
        assert!(
            !text.contains("# [non_exhaustive] pub struct Client"),
            "{text}"
        );
        assert!(
            !text.contains("# [non_exhaustive] struct Private"),
            "{text}"
        );
        assert!(
            !text.contains("# [non_exhaustive] pub struct NotAType"),
            "{text}"
        );
    }

    #[test]
    fn a_file_without_types_is_left_alone() {
        let mut file: syn::File = syn::parse_quote! { pub struct Client; };
        assert_eq!(mark(&mut file), 0);
    }
}
