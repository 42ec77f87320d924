//! For a number or integer enum (`type: number, enum: [0, 1]`) typify writes
//! a hand-made `JsonSchema` impl against the schemars 0.8 API
//! (`schemars::gen`, `schemars::schema::Schema`), which the schemars 1 the
//! generated crates use does not have, so such a crate did not compile. The
//! impl is rewritten for schemars 1: the inner type's schema, with the enum's
//! values.

use quote::{ToTokens, quote};
use syn::visit::{self, Visit};
use syn::{ImplItem, Item, LitStr};

/// Rewrites every schemars 0.8 `JsonSchema` impl in `file`; returns how
/// many.
pub fn to_schemars_1(file: &mut syn::File) -> usize {
    let mut count = 0;
    rewrite_items(&mut file.items, &mut count);
    count
}

fn rewrite_items(items: &mut [Item], count: &mut usize) {
    for item in items {
        match item {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    rewrite_items(inner, count);
                }
            }
            Item::Impl(imp) => {
                if let Some(replacement) = rewrite(imp) {
                    *imp = replacement;
                    *count += 1;
                }
            }
            _ => {}
        }
    }
}

fn rewrite(imp: &syn::ItemImpl) -> Option<syn::ItemImpl> {
    let (trait_path, _) = imp.trait_.as_ref()?;
    if trait_path.segments.last()?.ident != "JsonSchema" {
        return None;
    }
    let method = imp.items.iter().find_map(|item| match item {
        ImplItem::Fn(f) if f.sig.ident == "json_schema" => Some(f),
        _ => None,
    })?;
    let output = method.sig.output.to_token_stream().to_string();
    if !output.contains("schemars :: schema :: Schema") {
        return None;
    }
    let mut found = Found::default();
    found.visit_block(&method.block);
    let inner = found.inner?;
    let self_ty = &imp.self_ty;
    let name = self_ty.to_token_stream().to_string().replace(' ', "");
    let values = found.values;
    Some(syn::parse_quote! {
        impl ::schemars::JsonSchema for #self_ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #name.into()
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let mut schema = <#inner as ::schemars::JsonSchema>::json_schema(generator);
                let values: ::std::vec::Vec<::serde_json::Value> = [#(#values),*]
                    .iter()
                    .filter_map(|value| ::serde_json::from_str(value).ok())
                    .collect();
                schema.insert("enum".to_owned(), values.into());
                schema
            }
        }
    })
}

/// The `T` of `<T as JsonSchema>::json_schema(..)` and the JSON texts of
/// the values (`::serde_json::from_str("1.0")`).
#[derive(Default)]
struct Found {
    inner: Option<syn::Type>,
    values: Vec<LitStr>,
}

impl<'a> Visit<'a> for Found {
    fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
        if let syn::Expr::Path(path) = call.func.as_ref() {
            let text = quote!(#path).to_string();
            if let Some(qself) = &path.qself
                && text.ends_with("json_schema")
            {
                self.inner.get_or_insert_with(|| (*qself.ty).clone());
            }
            if text.ends_with("serde_json :: from_str")
                && let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(value),
                    ..
                })) = call.args.first()
            {
                self.values.push(value.clone());
            }
        }
        visit::visit_expr_call(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_enum_impls_move_to_schemars_1() {
        let mut file: syn::File = syn::parse2(quote! {
            pub mod types {
                impl ::schemars::JsonSchema for Grow {
                    fn schema_name() -> ::std::string::String {
                        "Grow".to_string()
                    }
                    fn json_schema(gen: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                        let mut schema = <f64 as ::schemars::JsonSchema>::json_schema(gen).into_object();
                        schema.enum_values = ::std::option::Option::Some(
                            [::serde_json::from_str("0.0").unwrap(), ::serde_json::from_str("1.0").unwrap()]
                                .into_iter()
                                .collect(),
                        );
                        schema.into()
                    }
                }
                impl ::schemars::JsonSchema for Modern {
                    fn schema_name() -> ::std::borrow::Cow<'static, str> { "Modern".into() }
                    fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema { todo!() }
                }
            }
        })
        .unwrap();
        assert_eq!(to_schemars_1(&mut file), 1);
        let text = quote!(#file).to_string();
        assert!(!text.contains("schemars :: gen"), "{text}");
        assert!(
            text.contains("< f64 as :: schemars :: JsonSchema > :: json_schema (generator)"),
            "{text}"
        );
        assert!(text.contains("[\"0.0\" , \"1.0\"]"), "{text}");
        assert!(text.contains("\"Grow\" . into ()"), "{text}");
        assert!(
            text.contains("\"Modern\" . into ()"),
            "other impls untouched"
        );
    }
}
