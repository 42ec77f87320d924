//! Rewrites of progenitor's output that its settings cannot express. Each is
//! a small pass over the syntax tree with its own tests; none edits text.

pub mod api_version_header;
pub mod doc_comments;
pub mod fallible_constructor;
pub mod httpmock_paths;
pub mod non_exhaustive;
pub mod open_enums;
pub mod path_encoding;
pub mod request_constructors;
pub mod schemars_impls;
pub mod type_builders;

/// The items of the generated `types` module, where the schemas' types are.
fn types_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            module.content.as_mut().map(|c| &mut c.1)
        }
        _ => None,
    })
}

/// Whether `items` have an inherent `impl TYPE` with a method `method`.
fn has_inherent_method(items: &[syn::Item], type_name: &str, method: &str) -> bool {
    items.iter().any(|item| match item {
        syn::Item::Impl(imp) if imp.trait_.is_none() => {
            matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident(type_name))
                && imp
                    .items
                    .iter()
                    .any(|m| matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == method))
        }
        _ => false,
    })
}
