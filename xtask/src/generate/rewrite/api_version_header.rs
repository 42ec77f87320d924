//! progenitor adds `api-version: <info.version>` to every request. The
//! Moveworks API defines no such header, so every request would carry an
//! undocumented header an API gateway might reject or log. The statements
//! that append it are removed; a `header_map` left with nothing appended
//! (not even inside an `if let` for an optional header) loses its `mut`, so
//! the output stays warning-free.

use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, Lit, Pat, Stmt};

/// Removes every `api-version` header append from `file`; returns how many.
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
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        let removed = before - block.stmts.len();
        self.removed += removed;
        if removed > 0 && !block.stmts.iter().any(appends_header_anywhere) {
            for stmt in &mut block.stmts {
                unmut_header_map(stmt);
            }
        }
        visit_mut::visit_block_mut(self, block);
    }
}

/// `header_map.append(<anything mentioning "api-version">, ...);`
fn appends_api_version(stmt: &Stmt) -> bool {
    let Some(call) = header_append(stmt) else {
        return false;
    };
    call.args.first().is_some_and(mentions_api_version)
}

/// Whether `stmt`, or any statement nested in it, appends to `header_map`.
fn appends_header_anywhere(stmt: &Stmt) -> bool {
    struct Finder(bool);
    impl<'a> Visit<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if header_append(stmt).is_some() {
                self.0 = true;
            }
            visit::visit_stmt(self, stmt);
        }
    }
    let mut finder = Finder(false);
    finder.visit_stmt(stmt);
    finder.0
}

fn header_append(stmt: &Stmt) -> Option<&syn::ExprMethodCall> {
    let Stmt::Expr(Expr::MethodCall(call), _) = stmt else {
        return None;
    };
    let Expr::Path(receiver) = call.receiver.as_ref() else {
        return None;
    };
    (call.method == "append" && receiver.path.is_ident("header_map")).then_some(call)
}

fn mentions_api_version(expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => call.args.iter().any(mentions_api_version),
        Expr::Lit(lit) => {
            matches!(&lit.lit, Lit::Str(s) if s.value().eq_ignore_ascii_case("api-version"))
        }
        _ => false,
    }
}

fn unmut_header_map(stmt: &mut Stmt) {
    if let Stmt::Local(local) = stmt
        && let Pat::Ident(ident) = &mut local.pat
        && ident.ident == "header_map"
    {
        ident.mutability = None;
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn removes_the_header_and_the_now_useless_mut() {
        let mut file: syn::File = syn::parse2(quote! {
            fn op() {
                let mut header_map = HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
                send(header_map);
            }
        })
        .unwrap();
        assert_eq!(remove(&mut file), 1);
        let expected: syn::File = syn::parse2(quote! {
            fn op() {
                let header_map = HeaderMap::with_capacity(2usize);
                send(header_map);
            }
        })
        .unwrap();
        assert_eq!(file, expected);
    }

    #[test]
    fn keeps_mut_when_an_optional_header_is_appended_conditionally() {
        let mut file: syn::File = syn::parse2(quote! {
            fn op() {
                let mut header_map = HeaderMap::with_capacity(2usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                );
                if let Some(value) = notion_version {
                    header_map.append("Notion-Version", value.to_string().try_into()?);
                }
            }
        })
        .unwrap();
        assert_eq!(remove(&mut file), 1);
        let expected: syn::File = syn::parse2(quote! {
            fn op() {
                let mut header_map = HeaderMap::with_capacity(2usize);
                if let Some(value) = notion_version {
                    header_map.append("Notion-Version", value.to_string().try_into()?);
                }
            }
        })
        .unwrap();
        assert_eq!(file, expected);
    }

    #[test]
    fn keeps_other_headers_and_mut() {
        let source = quote! {
            fn op() {
                let mut header_map = HeaderMap::with_capacity(2usize);
                header_map.append("x-trace", value.to_string().try_into()?);
            }
        };
        let mut file: syn::File = syn::parse2(source.clone()).unwrap();
        assert_eq!(remove(&mut file), 0);
        assert_eq!(file, syn::parse2::<syn::File>(source).unwrap());
    }
}
