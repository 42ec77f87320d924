//! progenitor percent-encodes path parameters with `encode_path`, whose set
//! leaves `\` alone; URL parsers read `\` as `/` in http(s) URLs, so an id
//! such as `:\.` would become two segments, one of them a `.` that the
//! parser then drops, and the request would go to another path. The
//! generated code is pointed at the crate's own `encode_path`
//! (`call::encode_path`, which also encodes `\`) instead.
//!
//! progenitor also passes every path parameter as `&x.to_string()`, which
//! copies a `&str` parameter into a new `String` before encoding it: one
//! allocation per parameter per request. A `&str` parameter is passed as
//! it is.

use std::collections::BTreeSet;

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, FnArg, ImplItemFn, Item, Pat, Type, UseTree};

/// Replaces the import of `progenitor_client::encode_path` with
/// `crate::call::encode_path`. Returns whether it was found.
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
                use crate::call::encode_path;
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

/// Replaces `encode_path(&x.to_string())` with `encode_path(x)` where `x`
/// is a `&str` parameter of the enclosing method. Returns how many.
pub fn borrow_str_parameters(file: &mut syn::File) -> usize {
    let mut visitor = Borrower {
        str_parameters: BTreeSet::new(),
        replaced: 0,
    };
    visitor.visit_file_mut(file);
    visitor.replaced
}

struct Borrower {
    /// The `&str` parameters of the method being visited.
    str_parameters: BTreeSet<String>,
    replaced: usize,
}

impl VisitMut for Borrower {
    fn visit_impl_item_fn_mut(&mut self, method: &mut ImplItemFn) {
        self.str_parameters = method
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(typed) if is_str_reference(&typed.ty) => match typed.pat.as_ref() {
                    Pat::Ident(ident) => Some(ident.ident.to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        visit_mut::visit_impl_item_fn_mut(self, method);
        self.str_parameters.clear();
    }

    /// progenitor builds the URL with `format!`, whose arguments syn keeps
    /// as tokens: they are parsed, rewritten and put back.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut args) = mac
            .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        else {
            return;
        };
        let before = self.replaced;
        for arg in &mut args {
            self.visit_expr_mut(arg);
        }
        if self.replaced != before {
            mac.tokens = quote::ToTokens::into_token_stream(args);
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr
            && matches!(call.func.as_ref(), Expr::Path(f) if f.path.is_ident("encode_path"))
            && call.args.len() == 1
            && let Some(parameter) = copied_parameter(&call.args[0])
            && self.str_parameters.contains(&parameter.to_string())
        {
            call.args[0] = syn::parse_quote!(#parameter);
            self.replaced += 1;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// `&str` or `&'a str`.
fn is_str_reference(ty: &Type) -> bool {
    matches!(ty, Type::Reference(reference)
        if reference.mutability.is_none()
            && matches!(reference.elem.as_ref(), Type::Path(path) if path.qself.is_none() && path.path.is_ident("str")))
}

/// `x` of `&x.to_string()`.
fn copied_parameter(arg: &Expr) -> Option<&syn::Ident> {
    let Expr::Reference(reference) = arg else {
        return None;
    };
    let Expr::MethodCall(call) = reference.expr.as_ref() else {
        return None;
    };
    if call.method != "to_string" || !call.args.is_empty() {
        return None;
    }
    match call.receiver.as_ref() {
        Expr::Path(path) => path.path.get_ident(),
        _ => None,
    }
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
            use crate::call::encode_path;
            pub use progenitor_client::{ByteStream, Error};
            use progenitor_client::{ClientHooks, OperationInfo};
        })
        .unwrap();
        assert_eq!(file, expected);
    }

    #[test]
    fn str_parameters_are_passed_without_a_copy() {
        let mut file: syn::File = syn::parse2(quote! {
            impl Client {
                pub async fn op<'a>(&'a self, id: &'a str, page: u32, name: &'a String) {
                    let url = format!(
                        "{}/x/{}/{}/{}",
                        self.baseurl,
                        encode_path(&id.to_string()),
                        encode_path(&page.to_string()),
                        encode_path(&name.to_string()),
                    );
                }
            }
        })
        .unwrap();
        assert_eq!(borrow_str_parameters(&mut file), 1);
        let expected: syn::File = syn::parse2(quote! {
            impl Client {
                pub async fn op<'a>(&'a self, id: &'a str, page: u32, name: &'a String) {
                    let url = format!(
                        "{}/x/{}/{}/{}",
                        self.baseurl,
                        encode_path(id),
                        encode_path(&page.to_string()),
                        encode_path(&name.to_string()),
                    );
                }
            }
        })
        .unwrap();
        assert_eq!(file, expected);
    }

    #[test]
    fn a_str_parameter_of_another_method_is_not_taken_for_one_of_this() {
        let code = quote! {
            impl Client {
                pub async fn one<'a>(&'a self, id: &'a str) {}
                pub async fn two<'a>(&'a self, id: u64) {
                    let url = format!("{}/{}", self.baseurl, encode_path(&id.to_string()));
                }
            }
        };
        let mut file: syn::File = syn::parse2(code.clone()).unwrap();
        assert_eq!(borrow_str_parameters(&mut file), 0);
        assert_eq!(file, syn::parse2::<syn::File>(code).unwrap());
    }
}
