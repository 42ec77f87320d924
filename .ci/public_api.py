#!/usr/bin/env python3
"""Checks moveworks-ext's public API, read from its rustdoc JSON, for what 0.1.0 promises:
no error type of a pre-1.0 dependency (reqwest, hyper, hyper-util, sse-stream) in a public
signature or field; `#[non_exhaustive]` on every public enum, every struct whose fields are all
public, and every struct-like enum variant. Prints each finding; exits 1 when there is one.

Usage: public_api.py target/doc/moveworks_ext.json (from
`RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="-Z unstable-options --output-format json" cargo doc --no-deps -p moveworks-ext`)."""
import json
import sys

PRE_1_0 = ("reqwest", "hyper", "hyper_util", "sse_stream")
# Variants and their fields are `default`; anything narrower is not public.
VISIBLE = ("public", "default")

doc = json.load(open(sys.argv[1], encoding="utf-8"))
index, paths = doc["index"], doc["paths"]
foreign_errors = {
    i: "::".join(p["path"])
    for i, p in paths.items()
    if p["path"][0] in PRE_1_0 and p["path"][-1] == "Error"
}


def uses(node, found, name):
    if isinstance(node, dict):
        target = node.get("resolved_path", {}).get("id") if "resolved_path" in node else None
        if str(target) in foreign_errors:
            found.append(f"{name} uses {foreign_errors[str(target)]}")
        for value in node.values():
            uses(value, found, name)
    elif isinstance(node, list):
        for value in node:
            uses(value, found, name)


findings = []
for item in index.values():
    if item.get("crate_id") != 0 or item.get("visibility") not in VISIBLE:
        continue
    name, inner = item.get("name") or "(impl)", item["inner"]
    uses(inner, findings, name)
    marked = any("non_exhaustive" in str(attr) for attr in item.get("attrs", []))
    if "enum" in inner and not marked:
        findings.append(f"enum {name} is not #[non_exhaustive]")
    if "struct" in inner:
        plain = inner["struct"]["kind"].get("plain") if isinstance(inner["struct"]["kind"], dict) else None
        if plain and plain["fields"] and not plain["has_stripped_fields"] and not marked:
            findings.append(f"struct {name} has only public fields and is not #[non_exhaustive]")
    if "variant" in inner:
        kind = inner["variant"]["kind"]
        if isinstance(kind, dict) and "struct" in kind and not marked:
            findings.append(f"variant {name} has named fields and is not #[non_exhaustive]")

# The error model's size: the public structs and enums named `*Error` or `*Kind`, and any other
# public type reached only through them (from their methods or fields). At most 8.
MAX_ERROR_TYPES = 8
local_types = {
    i: item["name"]
    for i, item in index.items()
    if item.get("crate_id") == 0 and item.get("visibility") in VISIBLE
    and ("struct" in item["inner"] or "enum" in item["inner"])
}
owners = {i: set() for i in local_types}


def refs(node, found):
    if isinstance(node, dict):
        if "resolved_path" in node:
            found.add(str(node["resolved_path"].get("id")))
        for value in node.values():
            refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def note(owner, node):
    found = set()
    refs(node, found)
    for target in found & owners.keys():
        if target != owner:
            owners[target].add(owner)


methods = {str(m) for item in index.values() if "impl" in item["inner"] for m in item["inner"]["impl"]["items"]}
for i, item in index.items():
    if item.get("crate_id") != 0 or i in methods:
        continue
    inner = item["inner"]
    if "impl" in inner:
        target = inner["impl"]["for"].get("resolved_path", {}).get("id")
        for method in inner["impl"]["items"]:
            note(str(target), index[str(method)]["inner"])
    elif i in local_types:
        # An enum's variants, or a struct's fields (named or a tuple's).
        kind = inner.get("struct", {}).get("kind", {})
        members = inner.get("enum", {}).get("variants", [])
        if isinstance(kind, dict):
            members += (kind.get("plain") or {}).get("fields", []) + [f for f in kind.get("tuple") or [] if f]
        for member in members:
            note(i, index[str(member)]["inner"])
    elif "function" in inner and item.get("visibility") in VISIBLE:
        note("fn", inner)
errors = {i for i, name in local_types.items() if name.endswith(("Error", "Kind"))}
grew = True
while grew:
    reached = {i for i in local_types if owners[i] and owners[i] <= errors} - errors
    grew = bool(reached)
    errors |= reached
names = sorted(local_types[i] for i in errors)
print(f"public error types: {len(names)} (at most {MAX_ERROR_TYPES}): {', '.join(names)}")
if len(names) > MAX_ERROR_TYPES:
    findings.append(f"{len(names)} public error types, more than {MAX_ERROR_TYPES}")

for finding in sorted(set(findings)):
    print(finding)
print(f"{len(index)} items read, {len(set(findings))} findings")
sys.exit(1 if findings else 0)
