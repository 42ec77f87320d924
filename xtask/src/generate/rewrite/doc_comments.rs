//! Spec descriptions become rustdoc as they are, and spec Markdown is not
//! rustdoc Markdown: `Bearer <token>` is an unclosed HTML tag to rustdoc,
//! `[optional]` a broken intra-doc link, a bare URL a lint warning, and an
//! untagged or indented code block a Rust doctest that cannot compile. This
//! pass makes every doc attribute safe and readable:
//!
//! - fenced code blocks are tagged `text`, and lines indented four or more
//!   spaces (an indented code block) are pulled back to three;
//! - `<` that does not open a known HTML tag or an autolink is escaped;
//! - `[` that does not open an inline Markdown link is escaped;
//! - bare `http(s)://` URLs become autolinks;
//! - multi-line docs are split into one attribute per line, with a leading
//!   space, so they print as ordinary `///` lines.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta};

/// Rewrites every `#[doc = "..."]` in `file`; returns how many it changed.
pub fn sanitize(file: &mut syn::File) -> usize {
    let mut visitor = DocVisitor(rewrite(&mut file.attrs));
    visitor.visit_file_mut(file);
    visitor.0
}

/// How many doc attributes it changed.
struct DocVisitor(usize);

macro_rules! with_attrs {
    ($($method:ident: $ty:ty => $walk:path;)*) => {
        $(
            fn $method(&mut self, node: &mut $ty) {
                self.0 += rewrite(&mut node.attrs);
                $walk(self, node);
            }
        )*
    };
}

impl VisitMut for DocVisitor {
    with_attrs! {
        visit_item_struct_mut: syn::ItemStruct => visit_mut::visit_item_struct_mut;
        visit_item_enum_mut: syn::ItemEnum => visit_mut::visit_item_enum_mut;
        visit_item_fn_mut: syn::ItemFn => visit_mut::visit_item_fn_mut;
        visit_item_impl_mut: syn::ItemImpl => visit_mut::visit_item_impl_mut;
        visit_item_mod_mut: syn::ItemMod => visit_mut::visit_item_mod_mut;
        visit_item_trait_mut: syn::ItemTrait => visit_mut::visit_item_trait_mut;
        visit_item_const_mut: syn::ItemConst => visit_mut::visit_item_const_mut;
        visit_item_type_mut: syn::ItemType => visit_mut::visit_item_type_mut;
        visit_item_use_mut: syn::ItemUse => visit_mut::visit_item_use_mut;
        visit_field_mut: syn::Field => visit_mut::visit_field_mut;
        visit_variant_mut: syn::Variant => visit_mut::visit_variant_mut;
        visit_impl_item_fn_mut: syn::ImplItemFn => visit_mut::visit_impl_item_fn_mut;
        visit_impl_item_const_mut: syn::ImplItemConst => visit_mut::visit_impl_item_const_mut;
        visit_impl_item_type_mut: syn::ImplItemType => visit_mut::visit_impl_item_type_mut;
        visit_trait_item_fn_mut: syn::TraitItemFn => visit_mut::visit_trait_item_fn_mut;
    }
}

/// Rewrites the doc attributes of `attrs`; returns how many it changed.
fn rewrite(attrs: &mut Vec<Attribute>) -> usize {
    let mut out = Vec::with_capacity(attrs.len());
    let mut changed = 0;
    for attr in attrs.drain(..) {
        let Some(text) = doc_text(&attr) else {
            out.push(attr);
            continue;
        };
        let lines: Vec<String> = sanitize_markdown(&text)
            .split('\n')
            .map(|line| {
                if line.is_empty() || line.starts_with(' ') {
                    line.to_owned()
                } else {
                    format!(" {line}")
                }
            })
            .collect();
        changed += usize::from(lines != [text]);
        for line in lines {
            let mut line_attr = attr.clone();
            if let Meta::NameValue(nv) = &mut line_attr.meta {
                nv.value = Expr::Lit(ExprLit {
                    attrs: Vec::new(),
                    lit: Lit::Str(LitStr::new(&line, Span::call_site())),
                });
            }
            out.push(line_attr);
        }
    }
    *attrs = out;
    changed
}

fn doc_text(attr: &Attribute) -> Option<String> {
    let Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Makes spec Markdown safe for rustdoc (see the module docs).
pub fn sanitize_markdown(text: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push(line.to_owned());
        } else if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = Some(marker);
            out.push(format!("{indent}{marker}text"));
        } else {
            let indent = if indent.len() >= 4 { "   " } else { indent };
            out.push(format!("{indent}{}", escape_inline(trimmed)));
        }
    }
    if let Some(marker) = fence {
        // An unclosed fence would swallow the rest of the item's docs.
        out.push(marker.to_owned());
    }
    out.join("\n")
}

const HTML_TAGS: [&str; 24] = [
    "a", "b", "br", "code", "dd", "details", "div", "dl", "dt", "em", "hr", "i", "li", "ol", "p",
    "pre", "span", "strong", "sub", "summary", "sup", "table", "td", "ul",
];

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // A code span: copy through the matching run of backticks.
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let run = &rest[..ticks];
            match rest[ticks..].find(run) {
                Some(end) => {
                    let span_len = ticks + end + ticks;
                    out.push_str(&rest[..span_len]);
                    rest = &rest[span_len..];
                }
                None => {
                    out.push_str(run);
                    rest = &rest[ticks..];
                }
            }
            continue;
        }
        if c == '<' {
            if let Some(end) = autolink_or_tag(rest) {
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            } else {
                out.push_str("\\<");
                rest = &rest[1..];
            }
            continue;
        }
        if c == '[' {
            match inline_link_len(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                }
                None => {
                    out.push_str("\\[");
                    rest = &rest[1..];
                }
            }
            continue;
        }
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']')
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of an autolink (`<https://...>`) or known HTML tag at the
/// start of `text`.
fn autolink_or_tag(text: &str) -> Option<usize> {
    let close = text.find('>')?;
    let inner = &text[1..close];
    if (inner.starts_with("https://") || inner.starts_with("http://"))
        && !inner.contains(char::is_whitespace)
    {
        return Some(close + 1);
    }
    let name = inner.trim_start_matches('/');
    let name = name.split(|c: char| c.is_whitespace() || c == '/').next()?;
    HTML_TAGS
        .contains(&name.to_ascii_lowercase().as_str())
        .then_some(close + 1)
}

/// The length of the `[label](target)` link `text` starts with, if any.
fn inline_link_len(text: &str) -> Option<usize> {
    let label_end = text.find(']')?;
    if text[1..label_end].contains('[') || !text[label_end + 1..].starts_with('(') {
        return None;
    }
    let target_end = text[label_end..].find(')')?;
    Some(label_end + target_end + 1)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(
            sanitize_markdown("as 'Bearer <token>'."),
            "as 'Bearer \\<token>'."
        );
        assert_eq!(
            sanitize_markdown("in `Bearer <token>` form"),
            "in `Bearer <token>` form"
        );
        assert_eq!(
            sanitize_markdown("a <b>bold</b> word<br/>"),
            "a <b>bold</b> word<br/>"
        );
        assert_eq!(sanitize_markdown("[optional] flag"), "\\[optional] flag");
        assert_eq!(
            sanitize_markdown("see [docs](https://x.io/a)"),
            "see [docs](https://x.io/a)"
        );
        assert_eq!(
            sanitize_markdown("see https://x.io/a."),
            "see <https://x.io/a>."
        );
        assert_eq!(
            sanitize_markdown("see <https://x.io/a>"),
            "see <https://x.io/a>"
        );
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(
            sanitize_markdown("x:\n```\nlet a = <b>;\n```"),
            "x:\n```text\nlet a = <b>;\n```"
        );
        assert_eq!(sanitize_markdown("```json\n{}"), "```text\n{}\n```");
        assert_eq!(
            sanitize_markdown("para\n\n      indented code"),
            "para\n\n   indented code"
        );
    }

    #[test]
    fn splits_multi_line_docs_into_spaced_lines() {
        let mut file: syn::File = syn::parse2(quote! {
            #[doc = "First line\n\nSee <token>"]
            pub struct S {
                #[doc = "field"]
                pub f: u8,
            }
        })
        .unwrap();
        sanitize(&mut file);
        let expected: syn::File = syn::parse2(quote! {
            #[doc = " First line"]
            #[doc = ""]
            #[doc = " See \\<token>"]
            pub struct S {
                #[doc = " field"]
                pub f: u8,
            }
        })
        .unwrap();
        assert_eq!(file, expected);
    }
}
