//! Builders for every generated struct, as the AWS SDK for Rust has them.
//!
//! The generated structs are `#[non_exhaustive]` (see [`super::non_exhaustive`])
//! so that a field the spec adds is not a breaking change; code outside the
//! crate then needs another way to build them. typify generates builders
//! (`Type::builder()`, a setter per field, `TryFrom<builder::Type>`) only
//! when progenitor runs in its builder interface style, so the `types`
//! module of a builder-style run replaces the positional run's, which is
//! the same module without builders. Each builder also gets a `build()`
//! method, because `try_into()` with a target type is awkward to call.

use syn::{Item, ItemMod};

/// Replaces `client`'s `types` module by the one of `builder_style` and adds
/// `build()` to each builder; returns how many builders there are.
///
/// # Errors
///
/// When either file has no `types` module, the builder-style one has no
/// `builder` module, or the two `types` modules differ in anything but the
/// builders (the builder style must not change a type): `client` is then
/// left as it was.
pub fn adopt(client: &mut syn::File, builder_style: syn::File) -> Result<usize, String> {
    let mut types = builder_style
        .items
        .into_iter()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "types" => Some(module),
            _ => None,
        })
        .ok_or("its output has no `types` module")?;
    let slot = client
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(module) if module.ident == "types" => Some(module),
            _ => None,
        })
        .ok_or("the positional output has no `types` module")?;
    if let Some(item) = first_disagreement(items_of(slot), items_of(&types)) {
        return Err(format!(
            "its `types` module differs from the positional run's beyond the builders, first at \
             {item}"
        ));
    }
    let builder =
        submodule(&mut types, "builder").ok_or("its output has no `types::builder` module")?;
    let count = add_build_methods(builder);
    *slot = types;
    Ok(count)
}

fn items_of(module: &ItemMod) -> &[Item] {
    module
        .content
        .as_ref()
        .map_or(&[], |(_, items)| items.as_slice())
}

/// What the builder style adds to the `types` module: the `builder` module
/// and an inherent `builder()` per struct.
fn is_builder_item(item: &Item) -> bool {
    match item {
        Item::Mod(module) => module.ident == "builder",
        Item::Impl(imp) => {
            imp.trait_.is_none()
                && !imp.items.is_empty()
                && imp
                    .items
                    .iter()
                    .all(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
        }
        _ => false,
    }
}

/// The first item of `positional` that `builder_style`, without its builder
/// items, does not have in the same place, or the first extra item.
fn first_disagreement(positional: &[Item], builder_style: &[Item]) -> Option<String> {
    let mut others = builder_style.iter().filter(|item| !is_builder_item(item));
    for item in positional {
        match others.next() {
            Some(other) if other == item => {}
            _ => return Some(describe(item)),
        }
    }
    others
        .next()
        .map(|extra| format!("{} (only in the builder style)", describe(extra)))
}

fn describe(item: &Item) -> String {
    use quote::ToTokens;
    match item {
        Item::Struct(s) => format!("struct `{}`", s.ident),
        Item::Enum(e) => format!("enum `{}`", e.ident),
        Item::Mod(m) => format!("mod `{}`", m.ident),
        Item::Type(t) => format!("type `{}`", t.ident),
        Item::Impl(imp) => format!("`impl {}`", imp.self_ty.to_token_stream()),
        other => other
            .to_token_stream()
            .to_string()
            .chars()
            .take(60)
            .collect(),
    }
}

fn submodule<'a>(module: &'a mut ItemMod, name: &str) -> Option<&'a mut ItemMod> {
    module
        .content
        .as_mut()?
        .1
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(inner) if inner.ident == name => Some(inner),
            _ => None,
        })
}

/// Adds `build()` to the builders of the `builder` module; returns how many
/// builders it holds.
fn add_build_methods(builder: &mut ItemMod) -> usize {
    let Some((_, items)) = builder.content.as_mut() else {
        return 0;
    };
    let names: Vec<syn::Ident> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.clone()),
            _ => None,
        })
        .collect();
    // A field named `build` already has a setter of that name: that builder
    // is finished with `try_into()` alone.
    let with_build = super::types_with_inherent_method(items, "build");
    let count = names.len();
    for name in names {
        if with_build.contains(&name.to_string()) {
            continue;
        }
        items.push(syn::parse_quote! {
            impl #name {
                /// Builds the value.
                ///
                /// # Errors
                ///
                /// When a required field was not set, or a value given to a
                /// setter did not convert.
                pub fn build(self) -> ::std::result::Result<super::#name, super::error::ConversionError> {
                    ::std::convert::TryFrom::try_from(self)
                }
            }
        });
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn file(tokens: proc_macro2::TokenStream) -> syn::File {
        syn::parse2(tokens).expect("test input parses")
    }

    #[test]
    fn the_builder_style_types_module_replaces_the_positional_one() {
        let mut client = file(quote::quote! {
            pub mod types { pub struct A { pub x: i64 } }
            pub struct Client;
        });
        let builder_style = file(quote::quote! {
            pub mod types {
                pub struct A { pub x: i64 }
                pub mod builder { pub struct A { x: Result<i64, String> } }
            }
            pub struct Client;
            pub mod builder { pub struct ClientOnly; }
        });
        adopt(&mut client, builder_style).unwrap();
        let text = client.to_token_stream().to_string();
        assert!(text.contains("pub mod builder"), "{text}");
        assert!(text.contains("pub fn build (self)"), "{text}");
        assert!(text.contains("super :: A"), "{text}");
        // Only the types module is taken: the client stays positional.
        assert!(!text.contains("ClientOnly"), "{text}");
        assert_eq!(client.items.len(), 2);
    }

    #[test]
    fn a_builder_with_a_build_field_keeps_its_setter_and_gets_no_build() {
        let mut client = file(quote::quote! { pub mod types {} });
        let builder_style = file(quote::quote! {
            pub mod types {
                pub mod builder {
                    pub struct Environment { build: Result<Option<String>, String> }
                    impl Environment { pub fn build<T>(mut self, value: T) -> Self { todo!() } }
                    impl Other { pub fn build(self) {} }
                    pub struct Other;
                }
            }
        });
        adopt(&mut client, builder_style).unwrap();
        let text = client.to_token_stream().to_string();
        assert_eq!(text.matches("pub fn build").count(), 2, "{text}");
        assert!(!text.contains("super :: Environment"), "{text}");
    }

    #[test]
    fn nothing_changes_without_a_types_builder_module() {
        let original = quote::quote! { pub mod types { pub struct A; } };
        let mut client = file(original.clone());
        let builder_style = file(quote::quote! { pub mod types { pub struct A; } });
        let err = adopt(&mut client, builder_style).unwrap_err();
        assert!(err.contains("no `types::builder` module"), "{err}");
        assert_eq!(client.to_token_stream().to_string(), original.to_string());
    }

    #[test]
    fn types_that_differ_beyond_the_builders_are_not_adopted() {
        let original =
            quote::quote! { pub mod types { pub struct A { pub x: i64 } pub struct B; } };
        let mut client = file(original.clone());
        let builder_style = file(quote::quote! {
            pub mod types {
                pub struct A { pub x: String }
                impl A { pub fn builder() -> builder::A { Default::default() } }
                pub struct B;
                pub mod builder { pub struct A; }
            }
        });
        let err = adopt(&mut client, builder_style).unwrap_err();
        assert!(err.contains("first at struct `A`"), "{err}");
        assert_eq!(client.to_token_stream().to_string(), original.to_string());
        // The same module with only the builder items added agrees.
        let mut client = file(original);
        let agreeing = file(quote::quote! {
            pub mod types {
                pub struct A { pub x: i64 }
                impl A { pub fn builder() -> builder::A { Default::default() } }
                pub struct B;
                pub mod builder { pub struct A; }
            }
        });
        adopt(&mut client, agreeing).unwrap();
        // An item only the builder style has is a disagreement too.
        let mut client = file(quote::quote! { pub mod types { pub struct A; } });
        let extra = file(quote::quote! {
            pub mod types { pub struct A; pub struct C; pub mod builder {} }
        });
        let err = adopt(&mut client, extra).unwrap_err();
        assert!(
            err.contains("struct `C` (only in the builder style)"),
            "{err}"
        );
    }
}
