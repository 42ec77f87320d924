//! progenitor builds a `header_map` in every operation method, sized for
//! the header parameters and the `api-version` header, and passes it to the
//! request builder with `.headers(header_map)`. Once `api-version-header`
//! has removed that header, an operation without header parameters builds
//! an empty map: two allocations, and a merge that does nothing, on every
//! request. Such a map, and the `.headers(header_map)` call that passes it,
//! are removed. A map that anything appends to (a header parameter, even
//! one inside an `if let`) is kept as it is.

use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Pat, Stmt};

/// Removes every `header_map` that nothing appends to, and its use; returns
/// how many were removed.
pub fn remove(file: &mut syn::File) -> usize {
    let mut visitor = Remover { removed: 0 };
    visitor.visit_file_mut(file);
    visitor.removed
}

struct Remover {
    removed: usize,
}

impl VisitMut for Remover {
    fn visit_block_mut(&mut self, block: &mut Block) {
        let declares = block.stmts.iter().any(declares_header_map);
        if declares && !block.stmts.iter().any(mentions_header_map_except_passing) {
            block.stmts.retain(|stmt| !declares_header_map(stmt));
            for stmt in &mut block.stmts {
                Unpass.visit_stmt_mut(stmt);
            }
            self.removed += 1;
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// `let header_map = ...;` or `let mut header_map = ...;`
fn declares_header_map(stmt: &Stmt) -> bool {
    let Stmt::Local(local) = stmt else {
        return false;
    };
    matches!(&local.pat, Pat::Ident(ident) if ident.ident == "header_map")
}

/// Whether `stmt` uses `header_map` other than by declaring it or passing
/// it whole to `.headers(..)`: an append, an insert, a reference.
fn mentions_header_map_except_passing(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visit<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::MethodCall(call) if passes_header_map(call) => {
                    self.visit_expr(&call.receiver);
                }
                Expr::Path(path) if path.path.is_ident("header_map") => self.0 = true,
                _ => visit::visit_expr(self, expr),
            }
        }
    }
    if declares_header_map(stmt) {
        return false;
    }
    let mut finder = Finder(false);
    finder.visit_stmt(stmt);
    finder.0
}

/// `<receiver>.headers(header_map)`
fn passes_header_map(call: &syn::ExprMethodCall) -> bool {
    call.method == "headers"
        && call.args.len() == 1
        && matches!(&call.args[0], Expr::Path(path) if path.path.is_ident("header_map"))
}

/// Replaces `<receiver>.headers(header_map)` with `<receiver>`.
struct Unpass;

impl VisitMut for Unpass {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        while let Expr::MethodCall(call) = expr {
            if !passes_header_map(call) {
                break;
            }
            let receiver = std::mem::replace(call.receiver.as_mut(), Expr::PLACEHOLDER);
            *expr = receiver;
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn rewritten(code: proc_macro2::TokenStream) -> (syn::File, usize) {
        let mut file: syn::File = syn::parse2(code).unwrap();
        let removed = remove(&mut file);
        (file, removed)
    }

    #[test]
    fn an_empty_map_and_its_use_are_removed() {
        let (file, removed) = rewritten(quote! {
            fn op(&self) {
                let url = format!("{}/x", self.baseurl);
                let header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                let request = self.client.get(url).json(&body).headers(header_map).build()?;
            }
        });
        let expected: syn::File = syn::parse2(quote! {
            fn op(&self) {
                let url = format!("{}/x", self.baseurl);
                let request = self.client.get(url).json(&body).build()?;
            }
        })
        .unwrap();
        assert_eq!(file, expected);
        assert_eq!(removed, 1);
    }

    #[test]
    fn a_map_with_a_header_parameter_is_kept() {
        let code = quote! {
            fn op(&self, trace: Option<&str>) {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                if let Some(value) = trace {
                    header_map.append("x-trace", value.to_string().try_into()?);
                }
                let request = self.client.get(url).headers(header_map).build()?;
            }
        };
        let (file, removed) = rewritten(code.clone());
        assert_eq!(file, syn::parse2::<syn::File>(code).unwrap());
        assert_eq!(removed, 0);
    }

    #[test]
    fn a_map_used_any_other_way_is_kept() {
        let code = quote! {
            fn op(&self) {
                let header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                log(&header_map);
                let request = self.client.get(url).headers(header_map).build()?;
            }
        };
        let (file, removed) = rewritten(code.clone());
        assert_eq!(file, syn::parse2::<syn::File>(code).unwrap());
        assert_eq!(removed, 0);
    }
}
