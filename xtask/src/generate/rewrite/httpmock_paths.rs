//! progenitor's httpmock helpers match a path parameter by pasting the value
//! into a regex (`format!("^/conversations/{}/...$", value)`), so an id
//! holding a regex character (`.`, `+`, `(`, ...) matched other ids, or did
//! not match itself. Each pasted value is wrapped in `regex::escape`, so it
//! matches exactly itself.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Macro, Token};

/// Escapes the values pasted into `Regex::new(&format!(..))`; returns how
/// many.
pub fn escape_values(file: &mut syn::File) -> usize {
    let mut visitor = Escaper(0);
    visitor.visit_file_mut(file);
    visitor.0
}

struct Escaper(usize);

impl VisitMut for Escaper {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if is_regex_new(&call.func)
            && let Some(Expr::Reference(reference)) = call.args.first_mut()
            && let Expr::Macro(format) = reference.expr.as_mut()
            && format.mac.path.is_ident("format")
        {
            self.0 += escape_arguments(&mut format.mac);
        }
        visit_mut::visit_expr_call_mut(self, call);
    }
}

fn is_regex_new(func: &Expr) -> bool {
    let Expr::Path(path) = func else { return false };
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    names.ends_with(&["Regex".to_owned(), "new".to_owned()])
}

/// `format!(template, a, b)` -> `format!(template, regex::escape(&a), ...)`.
fn escape_arguments(mac: &mut Macro) -> usize {
    let Ok(arguments) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) else {
        return 0;
    };
    let mut escaped = 0;
    let rewritten: Punctuated<TokenStream, Token![,]> = arguments
        .into_iter()
        .enumerate()
        .map(|(index, argument)| {
            if index == 0 || is_escaped(&argument) {
                argument.to_token_stream()
            } else {
                escaped += 1;
                quote!(regex::escape(&#argument))
            }
        })
        .collect();
    mac.tokens = rewritten.to_token_stream();
    escaped
}

fn is_escaped(argument: &Expr) -> bool {
    matches!(argument, Expr::Call(call) if matches!(call.func.as_ref(), Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "escape")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_values_are_escaped() {
        let mut file: syn::File = syn::parse2(quote! {
            fn conversation_id(self, value: &str) -> Self {
                let re = regex::Regex::new(&format!(
                    "^/conversations/{}/responses/.*$",
                    value.to_string()
                ))
                .unwrap();
                let fixed = regex::Regex::new("^/a$").unwrap();
                let other = format!("{}", value);
            }
        })
        .unwrap();
        assert_eq!(escape_values(&mut file), 1);
        let text = quote!(#file).to_string();
        assert!(
            text.contains(
                "format ! (\"^/conversations/{}/responses/.*$\" , regex :: escape (& value . to_string ()))"
            ),
            "{text}"
        );
        assert!(text.contains("format ! (\"{}\" , value)"), "{text}");
        assert_eq!(escape_values(&mut file), 0, "idempotent");
    }
}
