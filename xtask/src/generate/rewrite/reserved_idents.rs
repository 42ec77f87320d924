//! Spec names become Rust identifiers (fields, parameters, variants). typify
//! and progenitor escape the keywords of the editions they know, but `gen`
//! is reserved only since Rust 2024, so a property called `gen` came out as a
//! bare `gen` that rustfmt (edition 2024) and rustc reject. Every identifier
//! that is a keyword of any edition is made raw (`r#gen`); serde and the
//! wire names are unaffected, since serde strips the `r#`.

use proc_macro2::Ident;
use syn::visit_mut::{self, VisitMut};

/// Keywords of any Rust edition, strict or reserved, that can be raw
/// identifiers (`self`, `Self`, `super`, `crate` and `_` cannot, and keep
/// their meaning in paths).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Makes every keyword-named identifier in `file` raw; returns how many.
pub fn make_raw(file: &mut syn::File) -> usize {
    let mut visitor = Raw { changed: 0 };
    visitor.visit_file_mut(file);
    visitor.changed
}

struct Raw {
    changed: usize,
}

impl VisitMut for Raw {
    // `'static` holds the identifier `static`, which must stay as it is.
    fn visit_lifetime_mut(&mut self, _: &mut syn::Lifetime) {}

    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        let text = ident.to_string();
        if KEYWORDS.contains(&text.as_str()) {
            *ident = Ident::new_raw(&text, ident.span());
            self.changed += 1;
        }
        visit_mut::visit_ident_mut(self, ident);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn edition_2024_keywords_become_raw() {
        // `gen` is an identifier to syn, so progenitor's output parses.
        let mut file: syn::File = syn::parse2(quote! {
            pub struct Model {
                pub gen: u32,
            }
            impl Model {
                pub fn f(&self, gen: u32) -> Self {
                    Self { gen }
                }
            }
        })
        .unwrap();
        assert_eq!(make_raw(&mut file), 4);
        let text = quote!(#file).to_string();
        assert!(text.contains("pub r#gen : u32"), "{text}");
        assert!(text.contains("Self { r#gen }"), "{text}");
        assert!(!text.contains(" gen "), "{text}");
        assert!(text.contains("& self"), "self stays");
    }

    #[test]
    fn lifetimes_are_left_alone() {
        let source = quote! { fn api_version() -> &'static str { "1" } };
        let mut file: syn::File = syn::parse2(source.clone()).unwrap();
        assert_eq!(make_raw(&mut file), 0);
        assert_eq!(file, syn::parse2::<syn::File>(source).unwrap());
    }

    #[test]
    fn formats_under_edition_2024() {
        let mut file: syn::File = syn::parse2(quote! { pub struct M { pub gen: u32 } }).unwrap();
        make_raw(&mut file);
        let text = crate::generate::format::rust_file(&file).unwrap();
        assert!(text.contains("pub r#gen: u32"), "{text}");
    }
}
