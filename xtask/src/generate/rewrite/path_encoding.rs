//! progenitor percent-encodes path parameters with `encode_path`, whose set
//! leaves `\` alone; URL parsers read `\` as `/` in http(s) URLs, so an id
//! such as `:\.` would become two segments, one of them a `.` that the
//! parser then drops, and the request would go to another path. The
//! generated code is pointed at the crate's own `encode_path`
//! (`middleware::encode_path`, which also encodes `\`) instead.

use syn::{Item, UseTree};

/// Replaces the import of `progenitor_client::encode_path` with
/// `crate::middleware::encode_path`. Returns whether it was found.
pub fn use_own_encoder(file: &mut syn::File) -> bool {
    let mut found = false;
    for item in &mut file.items {
        if let Item::Use(item_use) = item {
            found |= remove_from(&mut item_use.tree);
        }
    }
    if found {
        file.items.insert(
            0,
            syn::parse_quote! {
                #[allow(unused_imports)]
                use crate::middleware::encode_path;
            },
        );
    }
    found
}

/// Removes `encode_path` from a `progenitor_client::{...}` group.
fn remove_from(tree: &mut UseTree) -> bool {
    let UseTree::Path(path) = tree else {
        return false;
    };
    if path.ident != "progenitor_client" {
        return false;
    }
    let UseTree::Group(group) = path.tree.as_mut() else {
        return false;
    };
    let before = group.items.len();
    let kept: syn::punctuated::Punctuated<UseTree, syn::Token![,]> = group
        .items
        .iter()
        .filter(|item| !matches!(item, UseTree::Name(name) if name.ident == "encode_path"))
        .cloned()
        .collect();
    group.items = kept;
    group.items.len() != before
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn swaps_the_import() {
        let mut file: syn::File = syn::parse2(quote! {
            pub use progenitor_client::{ByteStream, Error};
            use progenitor_client::{ClientHooks, encode_path, OperationInfo};
        })
        .unwrap();
        assert!(use_own_encoder(&mut file));
        let expected: syn::File = syn::parse2(quote! {
            #[allow(unused_imports)]
            use crate::middleware::encode_path;
            pub use progenitor_client::{ByteStream, Error};
            use progenitor_client::{ClientHooks, OperationInfo};
        })
        .unwrap();
        assert_eq!(file, expected);
    }
}
