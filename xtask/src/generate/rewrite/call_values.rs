//! progenitor's operation methods are `async fn`s that build the request,
//! run it through the client's hooks (`pre`, `exec`, `post`) and decode the
//! answer in one body, so a runtime that authenticates, retries or
//! classifies answers can only step in around `exec`, where the typed error
//! is not visible. Each method is rewritten into a plain `fn` returning a
//! `Call` (the `call` template): the request, built in a closure whose
//! `Err` is what building failed with, the operation's row of `OPERATIONS`,
//! and progenitor's `match` on the status, unchanged, as a non-capturing
//! decoder. Awaiting the `Call` sends and decodes it as before.
//!
//! The hooks are then unused: progenitor's `impl ClientHooks<()> for
//! &Client {}` and the imports of `ClientHooks` and `OperationInfo` go.
//! Paginated `_stream` methods, which await an operation method, await its
//! `Call` through `IntoFuture::into_future`.
//!
//! The shape is checked strictly: an operation method that is not
//! progenitor's `pre`/`exec`/`post` sequence, or that has no row in the
//! operation table, is an error naming it, and nothing is rewritten.

use std::collections::BTreeMap;

use proc_macro2::Literal;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{
    Expr, GenericArgument, GenericParam, ImplItem, ImplItemFn, Item, Pat, PathArguments,
    ReturnType, Stmt, Type, UseTree,
};

/// Rewrites every operation method of `file`'s `Client`; `table` names the
/// methods in the order of the `OPERATIONS` table. Returns how many methods
/// were rewritten.
pub fn rewrite(file: &mut syn::File, table: &[String]) -> Result<usize, String> {
    let rewritten = plan(file, table)?;
    let count = rewritten.len();
    let mut names = Vec::with_capacity(count);
    for (item, member, name, call) in rewritten {
        impl_at_mut(file, item).items[member] = ImplItem::Fn(call);
        names.push(name);
    }
    let mut adapter = AwaitCalls {
        names: &names,
        inside_operation: false,
    };
    let mut impls: Vec<usize> = client_methods(file).iter().map(|&(item, _)| item).collect();
    impls.dedup();
    for item in impls {
        adapter.visit_item_impl_mut(impl_at_mut(file, item));
    }
    remove_hooks(file);
    Ok(count)
}

/// The rewritten method for each `(item, member)` of the client, or every
/// method and table row that is not as progenitor makes them.
fn plan(file: &syn::File, table: &[String]) -> Result<Vec<Rewritten>, String> {
    let rows: BTreeMap<&str, usize> = table
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut rewritten = Vec::new();
    let mut failures = Vec::new();
    for (item, member) in client_methods(file) {
        let ImplItem::Fn(method) = &impl_at(file, item).items[member] else {
            continue;
        };
        let name = method.sig.ident.to_string();
        if method.sig.asyncness.is_none() {
            if uses_hooks(method) {
                failures.push(format!(
                    "`{name}` calls the client's hooks but is not an `async fn`"
                ));
            }
            continue;
        }
        let Some(&row) = rows.get(name.as_str()) else {
            failures.push(format!("`{name}` has no row in the operation table"));
            continue;
        };
        match as_call(method, row) {
            Ok(call) => rewritten.push((item, member, name, call)),
            Err(why) => failures.push(format!("`{name}`: {why}")),
        }
    }
    for name in table {
        if !rewritten.iter().any(|(_, _, method, _)| method == name) {
            failures.push(format!(
                "the operation table's `{name}` has no method of progenitor's shape"
            ));
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "progenitor's operation methods are not of the shape it rewrites: {}",
            failures.join("; ")
        ));
    }
    Ok(rewritten)
}

/// `(item, member, method name, rewritten method)`.
type Rewritten = (usize, usize, String, ImplItemFn);

fn impl_at(file: &syn::File, index: usize) -> &syn::ItemImpl {
    match &file.items[index] {
        Item::Impl(imp) => imp,
        _ => unreachable!("client_methods indexes impls only"),
    }
}

fn impl_at_mut(file: &mut syn::File, index: usize) -> &mut syn::ItemImpl {
    match &mut file.items[index] {
        Item::Impl(imp) => imp,
        _ => unreachable!("client_methods indexes impls only"),
    }
}

/// `(item, member)` of every function of an inherent `impl Client`.
fn client_methods(file: &syn::File) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, item) in file.items.iter().enumerate() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some()
            || !matches!(&*imp.self_ty, Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for (m, member) in imp.items.iter().enumerate() {
            if matches!(member, ImplItem::Fn(_)) {
                out.push((i, m));
            }
        }
    }
    out
}

/// Finds a mention of `OperationInfo` or a call of `pre`, `exec` or `post`
/// on `self`.
#[derive(Default)]
struct HookFinder(bool);

impl<'a> Visit<'a> for HookFinder {
    fn visit_ident(&mut self, ident: &'a proc_macro2::Ident) {
        self.0 |= ident == "OperationInfo";
    }

    fn visit_expr_method_call(&mut self, call: &'a syn::ExprMethodCall) {
        self.0 |=
            is_self(&call.receiver) && ["pre", "exec", "post"].iter().any(|m| call.method == m);
        visit::visit_expr_method_call(self, call);
    }
}

fn uses_hooks(method: &ImplItemFn) -> bool {
    let mut finder = HookFinder::default();
    finder.visit_impl_item_fn(method);
    finder.0
}

fn is_self(expr: &Expr) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident("self"))
}

/// The parts of progenitor's method body the rewrite keeps.
struct Body<'a> {
    /// The statements before the request's `let` (the URL, the headers).
    build: &'a [Stmt],
    /// `let mut request = <builder>.build()?;`
    request: &'a syn::Local,
    request_ident: syn::Ident,
    response_ident: syn::Ident,
    /// `match response.status().as_u16() { .. }`
    decode: &'a syn::ExprMatch,
}

/// The parts of `method`'s body, when it is progenitor's build, `pre`,
/// `exec`, `post`, `match` sequence; what differs otherwise.
fn body(method: &ImplItemFn) -> Result<Body<'_>, String> {
    let stmts = &method.block.stmts;
    let split = stmts
        .len()
        .checked_sub(7)
        .ok_or("fewer statements than progenitor's")?;
    let (build, tail) = stmts.split_at(split);
    let [
        Stmt::Local(request),
        info,
        pre,
        exec,
        post,
        unwrap,
        Stmt::Expr(Expr::Match(decode), None),
    ] = tail
    else {
        return Err(
            "it does not end in a `let` of the request, the hooks and a `match`".to_owned(),
        );
    };
    let name = |stmt, what: &str| local_ident(stmt).ok_or(format!("no `let` of the {what}"));
    let request_ident = name(&tail[0], "request")?;
    let result_ident = name(exec, "result")?;
    let response_ident = name(unwrap, "response")?;
    let operation_id = operation_info(info).ok_or("no `let info = OperationInfo { .. }`")?;
    if method.sig.ident != operation_id {
        return Err(format!("its OperationInfo names `{operation_id}`"));
    }
    let hooks = [pre, exec, post, unwrap];
    expect_hooks(hooks, &request_ident, &result_ident, &response_ident)?;
    let status: Expr = syn::parse_quote!(#response_ident.status().as_u16());
    if *decode.expr != status {
        return Err("its `match` is not on the response's status".to_owned());
    }
    let mut finder = HookFinder::default();
    build.iter().for_each(|stmt| finder.visit_stmt(stmt));
    if finder.0 {
        return Err("it uses the hooks before the request is built".to_owned());
    }
    Ok(Body {
        build,
        request,
        request_ident,
        response_ident,
        decode,
    })
}

/// progenitor's `pre`, `exec`, `post` and unwrap statements, with the
/// names it gave the request, result and response.
fn expect_hooks(
    [pre, exec, post, unwrap]: [&Stmt; 4],
    request_ident: &syn::Ident,
    result_ident: &syn::Ident,
    response_ident: &syn::Ident,
) -> Result<(), String> {
    let expected: [(&Stmt, Stmt); 4] = [
        (
            pre,
            syn::parse_quote!(self.pre(&mut #request_ident, &info).await?;),
        ),
        (
            exec,
            syn::parse_quote!(let #result_ident = self.exec(#request_ident, &info).await;),
        ),
        (
            post,
            syn::parse_quote!(self.post(&#result_ident, &info).await?;),
        ),
        (
            unwrap,
            syn::parse_quote!(let #response_ident = #result_ident?;),
        ),
    ];
    for (found, expected) in &expected {
        if *found != expected {
            return Err(format!(
                "`{}` where progenitor's hooks sequence has `{}`",
                quote::quote!(#found),
                quote::quote!(#expected)
            ));
        }
    }
    Ok(())
}

/// `method` as a plain `fn` returning a `Call` of the operation in row
/// `row`, or why its shape is not progenitor's.
fn as_call(method: &ImplItemFn, row: usize) -> Result<ImplItemFn, String> {
    let (success, error) = result_types(&method.sig.output)?;
    let lifetime = method
        .sig
        .generics
        .params
        .iter()
        .find_map(|p| match p {
            GenericParam::Lifetime(l) => Some(l.lifetime.clone()),
            _ => None,
        })
        .ok_or("no lifetime parameter")?;
    let Body {
        build,
        request,
        request_ident,
        response_ident,
        decode,
    } = body(method)?;
    // Nothing borrows the request mutably any more.
    let mut request = request.clone();
    let unused_mut: syn::Attribute = syn::parse_quote!(#[allow(unused_mut)]);
    request.attrs.retain(|a| *a != unused_mut);
    if let Pat::Ident(ident) = &mut request.pat {
        ident.mutability = None;
    }
    let row = Literal::usize_unsuffixed(row);
    let mut call = method.clone();
    call.sig.asyncness = None;
    call.sig.output = syn::parse_quote!(-> Call<#lifetime, #success, #error>);
    call.block = syn::parse_quote!({
        let #request_ident = (|| -> Result<reqwest::Request, Error<#error>> {
            #(#build)*
            #request
            Ok(#request_ident)
        })();
        Call::new(
            self,
            &OPERATIONS[#row],
            #request_ident,
            |#response_ident| Box::pin(async move { #decode }),
        )
    });
    Ok(call)
}

/// `T` and `E` of `Result<ResponseValue<T>, Error<E>>`.
fn result_types(output: &ReturnType) -> Result<(Type, Type), String> {
    let ReturnType::Type(_, ty) = output else {
        return Err("it returns nothing".to_owned());
    };
    let [success, error] = type_arguments(ty, "Result")
        .as_deref()
        .and_then(|args| <&[Type; 2]>::try_from(args).ok())
        .cloned()
        .ok_or("it does not return `Result<ResponseValue<T>, Error<E>>`")?;
    let inner = |ty: &Type, name: &str| {
        type_arguments(ty, name)
            .and_then(|args| <[Type; 1]>::try_from(args).ok())
            .map(|[inner]| inner)
            .ok_or("it does not return `Result<ResponseValue<T>, Error<E>>`")
    };
    Ok((inner(&success, "ResponseValue")?, inner(&error, "Error")?))
}

/// The type arguments of `ty` when its last path segment is `name`.
fn type_arguments(ty: &Type, name: &str) -> Option<Vec<Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args
        .iter()
        .map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
        .collect()
}

/// `x` of `let x = ..;` or `let mut x = ..;`.
fn local_ident(stmt: &Stmt) -> Option<syn::Ident> {
    match stmt {
        Stmt::Local(local) => match &local.pat {
            Pat::Ident(ident) if local.init.is_some() => Some(ident.ident.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `"x"` of `let info = OperationInfo { operation_id: "x" };`.
fn operation_info(stmt: &Stmt) -> Option<String> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let Pat::Ident(ident) = &local.pat else {
        return None;
    };
    let Expr::Struct(info) = local.init.as_ref()?.expr.as_ref() else {
        return None;
    };
    if ident.ident != "info" || !info.path.is_ident("OperationInfo") || info.fields.len() != 1 {
        return None;
    }
    let field = info.fields.first()?;
    match (&field.member, &field.expr) {
        (syn::Member::Named(name), Expr::Lit(lit)) if name == "operation_id" => match &lit.lit {
            syn::Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// In the client's other methods (progenitor's paginated `_stream`
/// methods), `self.op(..)` of a rewritten operation becomes
/// `IntoFuture::into_future(self.op(..))`: they await it with
/// `TryFutureExt`, which a `Call` is not.
struct AwaitCalls<'a> {
    names: &'a [String],
    inside_operation: bool,
}

impl VisitMut for AwaitCalls<'_> {
    fn visit_impl_item_fn_mut(&mut self, method: &mut ImplItemFn) {
        self.inside_operation = self.names.iter().any(|n| method.sig.ident == n);
        visit_mut::visit_impl_item_fn_mut(self, method);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if self.inside_operation {
            return;
        }
        if let Expr::MethodCall(call) = expr
            && is_self(&call.receiver)
            && self.names.iter().any(|n| call.method == n)
        {
            *expr = syn::parse_quote!(::std::future::IntoFuture::into_future(#call));
        }
    }
}

/// Removes `impl ClientHooks<..> for &Client {}` and the imports of
/// `ClientHooks` and `OperationInfo`, which nothing uses any more.
fn remove_hooks(file: &mut syn::File) {
    file.items.retain(|item| {
        !matches!(item, Item::Impl(imp) if imp.items.is_empty()
        && imp.trait_.as_ref().is_some_and(|(path, _)| {
            path.segments.last().is_some_and(|s| s.ident == "ClientHooks")
        }))
    });
    for item in &mut file.items {
        let Item::Use(item_use) = item else { continue };
        let UseTree::Path(path) = &mut item_use.tree else {
            continue;
        };
        if path.ident != "progenitor_client" {
            continue;
        }
        if let UseTree::Group(group) = path.tree.as_mut() {
            group.items = group
                .items
                .iter()
                .filter(|tree| {
                    !matches!(tree, UseTree::Name(name)
                        if name.ident == "ClientHooks" || name.ident == "OperationInfo")
                })
                .cloned()
                .collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;
    use serde_json::{Value, json};

    use super::*;
    use crate::generate::progenitor_run;

    /// progenitor's client for `paths`, as the rewrite gets it, and the
    /// operation table's method names.
    fn generated(paths: Value) -> (syn::File, Vec<String>) {
        let document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": paths});
        let output = progenitor_run::generate(&document, "api").unwrap();
        let table = crate::generate::operation_table::rows(&output.document)
            .into_iter()
            .map(|row| row.name)
            .collect();
        (syn::parse2(output.client).unwrap(), table)
    }

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    /// The shapes progenitor emits: a typed answer, an empty one, a byte
    /// stream, a required and an optional header, a raw body, a text body,
    /// a websocket upgrade and a paginated list with its `_stream` method.
    fn every_shape() -> Value {
        let ok = |content: Value| json!({"description": "ok", "content": content});
        json!({
            "/typed/{id}": {"get": {"operationId": "typed",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "x-trace", "in": "header", "required": true, "schema": {"type": "string"}},
                    {"name": "x-tenant", "in": "header", "schema": {"type": "string"}}],
                "responses": {"200": ok(json!({"application/json": {"schema": {"type": "string"}}})),
                    "404": ok(json!({"application/json": {"schema": {"type": "integer"}}}))}}},
            "/empty": {"delete": {"operationId": "empty",
                "responses": {"204": {"description": "gone"}}}},
            "/bytes": {"post": {"operationId": "bytes",
                "requestBody": {"required": true, "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": ok(json!({"application/octet-stream": {}}))}}},
            "/text": {"put": {"operationId": "text",
                "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {"204": {"description": "ok"}}}},
            "/socket": {"get": {"operationId": "socket", "x-dropshot-websocket": {},
                "responses": {"default": {"description": "upgrade"}}}},
            "/items": {"get": {"operationId": "items", "x-dropshot-pagination": {"required": []},
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "uint32"}},
                    {"name": "page_token", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": ok(json!({"application/json": {"schema": {
                    "type": "object", "required": ["items"], "properties": {
                        "items": {"type": "array", "items": {"type": "string"}},
                        "next_page": {"type": "string"}}}}}))}}}
        })
    }

    #[test]
    fn every_operation_method_becomes_a_plain_fn_returning_a_call() {
        let (mut file, table) = generated(every_shape());
        assert_eq!(table.len(), 6, "{table:?}");
        assert_eq!(rewrite(&mut file, &table), Ok(6));
        let code = text(&file);
        for (row, name) in table.iter().enumerate() {
            assert!(
                code.contains(&format!("pub fn {name}<'a")),
                "{name} is not a plain fn:\n{code}"
            );
            assert!(code.contains(&format!("&OPERATIONS[{row}]")), "{name}");
        }
        assert!(!code.contains("async fn"), "{code}");
        for gone in ["OperationInfo", "ClientHooks", "&info"] {
            assert!(!code.contains(gone), "`{gone}` is left:\n{code}");
        }
        // Each shape's decoding is kept as progenitor wrote it.
        for kept in [
            "Ok(ResponseValue::empty(response))",
            "Ok(ResponseValue::stream(response))",
            "ResponseValue::upgrade(response).await",
            "header_map.append(\"x-trace\"",
            ".body(body)",
        ] {
            assert!(code.contains(kept), "`{kept}` is gone:\n{code}");
        }
        assert!(
            code.contains("-> Call<'a, ::std::string::String, i64>"),
            "{code}"
        );
        // The paginated stream awaits the call.
        assert!(
            code.contains("::std::future::IntoFuture::into_future(self.items(limit, None))"),
            "{code}"
        );
    }

    #[test]
    fn the_request_is_built_in_a_closure_and_the_match_is_the_decoder() {
        let (mut file, table) = generated(json!({"/empty": {"delete": {"operationId": "empty",
            "responses": {"204": {"description": "gone"}}}}}));
        rewrite(&mut file, &table).unwrap();
        let mut method = client_methods(&file)
            .into_iter()
            .find_map(|(item, member)| match &impl_at(&file, item).items[member] {
                ImplItem::Fn(f) if f.sig.ident == "empty" => Some(f.clone()),
                _ => None,
            })
            .unwrap();
        method.attrs.clear();
        let expected: ImplItemFn = syn::parse_quote! {
            pub fn empty<'a>(&'a self) -> Call<'a, (), ()> {
                let request = (|| -> Result<reqwest::Request, Error<()>> {
                    let url = format!("{}/empty", self.baseurl,);
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(Self::api_version()),
                    );
                    let request = self.client.delete(url).headers(header_map).build()?;
                    Ok(request)
                })();
                Call::new(self, &OPERATIONS[0], request, |response| Box::pin(async move {
                    match response.status().as_u16() {
                        204u16 => Ok(ResponseValue::empty(response)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }))
            }
        };
        assert_eq!(
            text(&syn::parse_quote!(impl Client { #method })),
            text(&syn::parse_quote!(impl Client { #expected }))
        );
    }

    #[test]
    fn a_method_of_another_shape_fails_naming_it_and_nothing_is_rewritten() {
        let (file, table) = generated(every_shape());
        let mut changed = file.clone();
        let (item, member) = client_methods(&changed)
            .into_iter()
            .find(|&(item, member)| {
                matches!(&impl_at(&changed, item).items[member],
                    ImplItem::Fn(f) if f.sig.ident == "bytes")
            })
            .unwrap();
        let ImplItem::Fn(method) = &mut impl_at_mut(&mut changed, item).items[member] else {
            unreachable!()
        };
        // A hook progenitor might add: the sequence is no longer its own.
        let extra: Stmt = syn::parse_quote!(self.log(&info););
        let at = method.block.stmts.len() - 4;
        method.block.stmts.insert(at, extra);
        let before = changed.clone();
        let error = rewrite(&mut changed, &table).unwrap_err();
        assert!(error.contains("`bytes`"), "{error}");
        assert!(!error.contains("`typed`"), "{error}");
        assert_eq!(changed, before, "half rewritten");
    }

    #[test]
    fn an_operation_without_a_method_or_a_method_without_a_row_fails() {
        let (mut file, mut table) = generated(json!({"/empty": {"delete": {
            "operationId": "empty", "responses": {"204": {"description": "gone"}}}}}));
        table.push("vanished".to_owned());
        let error = rewrite(&mut file.clone(), &table).unwrap_err();
        assert!(
            error.contains("the operation table's `vanished` has no method"),
            "{error}"
        );
        let error = rewrite(&mut file, &[]).unwrap_err();
        assert!(
            error.contains("`empty` has no row in the operation table"),
            "{error}"
        );
    }

    #[test]
    fn a_client_whose_methods_progenitor_changed_fails_instead_of_matching_nothing() {
        // What an upgrade that renamed the hooks would look like: no
        // method is of the known shape, and the table still has rows.
        let mut file: syn::File = syn::parse2(quote! {
            impl Client {
                pub async fn empty<'a>(&'a self) -> Result<ResponseValue<()>, Error<()>> {
                    let request = self.client.delete(url).build()?;
                    self.send(request).await
                }
            }
        })
        .unwrap();
        let error = rewrite(&mut file, &["empty".to_owned()]).unwrap_err();
        assert!(error.contains("`empty`: "), "{error}");
    }
}
