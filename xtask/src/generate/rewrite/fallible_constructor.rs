//! progenitor's `Client::new` builds its `reqwest::Client` with
//! `.build().unwrap()`, so a public constructor panics when the TLS backend
//! cannot be initialised (no system certificates, for instance). It is
//! rewritten to return that error: `new` gives
//! `Result<Client, reqwest::Error>`. `new_with_client`, which takes a built
//! client and cannot fail, is unchanged.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ImplItem, Item, Stmt};

/// Rewrites `impl Client { fn new(..) -> Self }`; returns whether it did.
pub fn return_result(file: &mut syn::File) -> bool {
    for item in &mut file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_client(&imp.self_ty) {
            continue;
        }
        for member in &mut imp.items {
            let ImplItem::Fn(method) = member else {
                continue;
            };
            if method.sig.ident != "new" {
                continue;
            }
            let mut unwraps = Unwraps(0);
            unwraps.visit_block_mut(&mut method.block);
            let Some(Stmt::Expr(last, None)) = method.block.stmts.last_mut() else {
                continue;
            };
            if unwraps.0 == 0 {
                continue;
            }
            *last = syn::parse_quote!(::std::result::Result::Ok(#last));
            method.sig.output = syn::parse_quote!(-> ::std::result::Result<Self, reqwest::Error>);
            method
                .attrs
                .extend::<Vec<syn::Attribute>>(syn::parse_quote! {
                    ///
                    /// # Errors
                    ///
                    /// When the `reqwest::Client` cannot be built, for example
                    /// because the TLS backend cannot be initialised.
                });
            return true;
        }
    }
    false
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// `<x>.build().unwrap()` -> `<x>.build()?`.
struct Unwraps(usize);

impl VisitMut for Unwraps {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "unwrap"
            && call.args.is_empty()
            && matches!(call.receiver.as_ref(), Expr::MethodCall(inner) if inner.method == "build")
        {
            let receiver = call.receiver.as_ref().clone();
            *expr = syn::parse_quote!(#receiver?);
            self.0 += 1;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn new_returns_the_build_error_instead_of_panicking() {
        let mut file: syn::File = syn::parse2(quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self {
                    let client = reqwest::ClientBuilder::new();
                    Self::new_with_client(baseurl, client.build().unwrap())
                }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self {
                    Self { baseurl: baseurl.to_string(), client }
                }
            }
            impl Other {
                pub fn new() -> Self { x.build().unwrap() }
            }
        })
        .unwrap();
        assert!(return_result(&mut file));
        let text = quote!(#file).to_string();
        assert!(
            text.contains("pub fn new (baseurl : & str) -> :: std :: result :: Result < Self , reqwest :: Error >"),
            "{text}"
        );
        assert!(
            text.contains("Ok (Self :: new_with_client (baseurl , client . build () ?))"),
            "{text}"
        );
        assert!(text.contains("# Errors"));
        assert!(
            text.contains(
                "pub fn new_with_client (baseurl : & str , client : reqwest :: Client) -> Self"
            ),
            "{text}"
        );
        assert!(
            text.contains("x . build () . unwrap ()"),
            "other types untouched"
        );
    }

    #[test]
    fn a_client_without_unwrap_is_left_alone() {
        let source = quote! { impl Client { pub fn new() -> Self { Self } } };
        let mut file: syn::File = syn::parse2(source.clone()).unwrap();
        assert!(!return_result(&mut file));
        assert_eq!(file, syn::parse2::<syn::File>(source).unwrap());
    }
}
