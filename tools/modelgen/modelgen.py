#!/usr/bin/env python3
"""Generates the typed Engine API model (C++) from src/model/schema/<area>.json.

For each area: model/<area>.h (structs and enums, no nlohmann), model/<area>_json.h (decode and
encode declarations) and <area>_json.cpp (their definitions, made of the helpers in
src/model/json.h).  With --registry also model/registry.h and registry.cpp: every type with a
round-trip function, for tests.  Files whose text did not change are not rewritten, so a schema
edit recompiles only what it touches.  The generated API is described in src/model/README.md.

Schema: {"area": "<file name>", "types": [TYPE...]}, where TYPE is
  {"name": "HostConfig", "doc": "...", "embed": ["Resources"], "fields": [FIELD...]}   a struct
  {"name": "RestartPolicyMode", "enum": ["no", "always", {"wire": "*", "cpp": "kAny"}]}  an enum
and FIELD is {"json": "Memory", "type": T, "optional": bool, "omitempty": bool, "cpp": "name",
"doc": "..."}.  T: string bool int64 uint64 double json strslice, a type name from any area, or
list<T> / map<T>.  embed = Go struct embedding (fields at the same level, the outer one winning a
name); optional = a Go pointer (std::optional); omitempty = Go's; cpp overrides the member name.

    modelgen.py --out BUILD/generated/model [--registry] SCHEMA.json...
"""
import argparse
import json
import os
import re
import sys

SCALARS = {
    "string": "std::string",
    "bool": "bool",
    "int64": "int64_t",
    "uint64": "uint64_t",
    "double": "double",
    "json": "RawJson",
    # Go's strslice.StrSlice (Cmd, Entrypoint...): a list of strings that also decodes from one
    # string.  Only as a field's own type, not inside list<>, map<> or optional.
    "strslice": "List<std::string>",
}
SCALAR_DEFAULTS = {"bool": " = false", "int64": " = 0", "uint64": " = 0", "double": " = 0"}
CPP_KEYWORDS = set("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern
false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr
operator or or_eq private protected public register reinterpret_cast requires return short signed
sizeof static static_assert static_cast struct switch template this thread_local throw true try
typedef typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq
""".split())
# Spellings the word splitter below cannot guess.
WORD_FIXES = [(re.compile(r"IPv([46])"), r"Ipv\1"), (re.compile(r"IOps"), "Iops")]
WORD = re.compile(
    r"[A-Z]+s(?![a-z])"  # a plural acronym: CPUs, IDs
    r"|[A-Z]+(?=[A-Z][a-z]|[0-9]|$)"  # an acronym: IPAM in IPAMConfig, ID in EndpointID
    r"|[A-Z]?[a-z0-9]+"  # a word
    r"|[A-Z]+|[0-9]+"
)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TYPE_KEYS = {"name", "doc", "fields", "embed", "enum"}
FIELD_KEYS = {"json", "type", "optional", "omitempty", "cpp", "doc"}


class SchemaError(Exception):
    pass


def snake_case(name):
    """CpuShares -> cpu_shares, IPv4Address -> ipv4_address, NanoCPUs -> nano_cpus."""
    for pattern, repl in WORD_FIXES:
        name = pattern.sub(repl, name)
    words = WORD.findall(name)
    out = "_".join(w.lower() for w in words) or "value"
    if out[0].isdigit():
        out = "n" + out
    return out + "_" if out in CPP_KEYWORDS else out


def enumerator(wire):
    """unless-stopped -> kUnlessStopped, "" -> kEmpty."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", wire) if p]
    if not wire:
        return "kEmpty"
    if not parts:
        raise SchemaError(f"enum value {wire!r} needs a {{\"wire\", \"cpp\"}} entry")
    return "k" + "".join(p[0].upper() + p[1:] for p in parts)


def parse_type(text):
    """'map<list<PortBinding>>' -> ('map', ('list', 'PortBinding'))."""
    text = text.replace(" ", "")
    for kind in ("list", "map"):
        if text.startswith(kind + "<") and text.endswith(">"):
            return (kind, parse_type(text[len(kind) + 1 : -1]))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        raise SchemaError(f"bad type {text!r}")
    return text


def named_types(t):
    """The schema type names a field type refers to."""
    if isinstance(t, tuple):
        return named_types(t[1])
    return [] if t in SCALARS else [t]


def cpp_type(t):
    if isinstance(t, tuple):
        return ("List<%s>" if t[0] == "list" else "Map<%s>") % cpp_type(t[1])
    return SCALARS.get(t, t)


class Model:
    def __init__(self, paths):
        self.areas = {}  # area -> list of type dicts, schema order
        self.types = {}  # name -> type dict (with "area")
        self.paths = {}  # area -> schema path, for the banners
        for path in paths:
            with open(path) as f:
                try:
                    doc = json.load(f)
                except json.JSONDecodeError as e:
                    raise SchemaError(f"{path}: {e}")
            area = doc.get("area") or os.path.splitext(os.path.basename(path))[0]
            if area != os.path.splitext(os.path.basename(path))[0]:
                raise SchemaError(f"{path}: area {area!r} does not match the file name")
            self.areas[area] = []
            self.paths[area] = os.path.relpath(path, ROOT)
            for t in doc.get("types", []):
                self.add_type(path, area, t)
        for t in self.types.values():
            self.check_type(t)

    def add_type(self, path, area, t):
        name = t.get("name")
        where = f"{path}: type {name!r}"
        if not name or not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
            raise SchemaError(f"{where}: a type needs a PascalCase name")
        if name in self.types:
            raise SchemaError(f"{where}: also defined in {self.types[name]['area']}")
        if set(t) - TYPE_KEYS:
            raise SchemaError(f"{where}: unknown keys {sorted(set(t) - TYPE_KEYS)}")
        t = dict(t, area=area, where=where)
        if "enum" in t:
            t["values"] = self.enum_values(where, t["enum"])
        self.types[name] = t
        self.areas[area].append(t)

    @staticmethod
    def enum_values(where, entries):
        values = []  # (wire, enumerator); "" first, as Go's zero string
        for e in entries:
            if isinstance(e, dict):
                values.append((e["wire"], e["cpp"]))
            else:
                values.append((e, enumerator(e)))
        values.sort(key=lambda v: v[0] != "")
        if not values or values[0][0] != "":
            values.insert(0, ("", "kEmpty"))
        seen = set()
        for wire, cpp in values:
            if cpp in seen:
                raise SchemaError(f"{where}: enumerator {cpp} twice")
            seen.add(cpp)
        return values

    def check_type(self, t):
        if "enum" in t:
            return
        for base in t.get("embed", []):
            if base not in self.types:
                raise SchemaError(f"{t['where']}: embeds unknown type {base!r}")
            if "enum" in self.types[base]:
                raise SchemaError(f"{t['where']}: embeds enum {base!r}")
        members = set()
        for f in t.get("fields", []):
            if set(f) - FIELD_KEYS or "json" not in f or "type" not in f:
                raise SchemaError(f"{t['where']}: bad field {f}")
            try:
                f["parsed"] = parse_type(f["type"])
            except SchemaError as e:
                raise SchemaError(f"{t['where']}.{f['json']}: {e}")
            if "strslice" in f["type"] and (f["parsed"] != "strslice" or f.get("optional")):
                raise SchemaError(f"{t['where']}.{f['json']}: strslice only as a plain field type")
            for n in named_types(f["parsed"]):
                if n not in self.types:
                    raise SchemaError(f"{t['where']}.{f['json']}: unknown type {n!r}")
            f["member"] = f.get("cpp") or snake_case(f["json"])
            if f["member"] in members or f["member"] == "unknown_fields":
                raise SchemaError(f"{t['where']}: member {f['member']} twice")
            members.add(f["member"])

    def deps(self, t):
        """Types that must be complete before `t`: bases and field types."""
        out = list(t.get("embed", []))
        for f in t.get("fields", []):
            out += named_types(f["parsed"])
        return out

    def wire_fields(self, t):
        """All fields on the wire, embedded ones flattened; the outer one wins a name, as in Go."""
        out, seen = [], set()
        for f in t.get("fields", []):
            if f["json"] not in seen:
                seen.add(f["json"])
                out.append(f)
        for base in t.get("embed", []):
            for f in self.wire_fields(self.types[base]):
                if f["json"] not in seen:
                    seen.add(f["json"])
                    out.append(f)
        return out

    def ordered(self, area):
        """The area's types, each after the same-area types it needs (enums first)."""
        done, out = set(), []

        def visit(t, stack):
            if t["name"] in done:
                return
            if t["name"] in stack:
                raise SchemaError(f"{t['where']}: contains itself ({' -> '.join(stack)})")
            for d in self.deps(t):
                if self.types[d]["area"] == area:
                    visit(self.types[d], stack + [t["name"]])
            done.add(t["name"])
            out.append(t)

        for t in self.areas[area]:
            if "enum" in t:
                visit(t, [])
        for t in self.areas[area]:
            visit(t, [])
        return out

    def area_deps(self, area):
        out = set()
        for t in self.areas[area]:
            out |= {self.types[d]["area"] for d in self.deps(t)}
        out.discard(area)
        return sorted(out)

    def check_area_cycles(self):
        state = {}

        def visit(a, stack):
            if state.get(a) == "done":
                return
            if a in stack:
                raise SchemaError(f"areas include each other: {' -> '.join(stack + [a])}")
            for d in self.area_deps(a):
                if d in self.areas:
                    visit(d, stack + [a])
            state[a] = "done"

        for a in self.areas:
            visit(a, [])


def banner(what):
    return f"// Generated by tools/modelgen/modelgen.py from {what}; do not edit.\n"


def doc_lines(doc, indent=""):
    return [f"{indent}// {line}" for line in doc.splitlines()] if doc else []


def gen_header(m, area):
    lines = [banner(m.paths[area]).rstrip(), "#pragma once", ""]
    lines += ["#include <cstdint>", "#include <optional>", "#include <string>",
              "#include <string_view>", ""]
    lines += ['#include "model/list.h"', '#include "model/raw_json.h"']
    lines += [f'#include "model/{d}.h"' for d in m.area_deps(area)]
    lines += ["", "namespace berth::model {", ""]
    for t in m.ordered(area):
        lines += doc_lines(t.get("doc"))
        if "enum" in t:
            lines.append(f"enum class {t['name']} {{ {', '.join(c for _, c in t['values'])} }};")
            lines.append(f"const char* to_string({t['name']} v);")
            lines.append(f"bool from_string(std::string_view s, {t['name']}* out);")
            lines.append("")
            continue
        bases = ", ".join(t.get("embed", []))
        lines.append(f"struct {t['name']}" + (f" : {bases}" if bases else "") + " {")
        for f in t.get("fields", []):
            lines += doc_lines(f.get("doc"), "  ")
            typ, init = cpp_type(f["parsed"]), SCALAR_DEFAULTS.get(f["parsed"], "")
            if not init and isinstance(f["parsed"], str) and "enum" in m.types.get(f["parsed"], {}):
                init = "{}"
            if f.get("optional"):
                typ, init = f"std::optional<{typ}>", ""
            lines.append(f"  {typ} {f['member']}{init};")
        lines.append("  UnknownFields unknown_fields;  // members the schema does not name")
        lines.append("")
        lines.append(f"  bool operator==(const {t['name']}&) const = default;")
        lines.append("};")
        lines.append("")
    lines.append("}  // namespace berth::model")
    return "\n".join(lines) + "\n"


def gen_json_header(m, area):
    lines = [banner(m.paths[area]).rstrip(), "#pragma once", ""]
    lines += ["#include <string>", ""]
    lines += ['#include "model/json.h"', f'#include "model/{area}.h"', ""]
    lines += ["namespace berth::model {", ""]
    for t in m.areas[area]:
        n = t["name"]
        lines.append(f"Status decode(const Json& j, {n}* out, const std::string& path);")
        arg = n if "enum" in t else f"const {n}&"
        lines.append(f"void encode({arg} v, Json* out);")
    lines += ["", "}  // namespace berth::model"]
    return "\n".join(lines) + "\n"


def gen_enum_source(t):
    n, k = t["name"], f"k{t['name']}Wire"
    wires = ", ".join(json.dumps(w) for w, _ in t["values"])
    count = len(t["values"])
    return f"""namespace {{
constexpr std::string_view {k}[] = {{{wires}}};
}}  // namespace

const char* to_string({n} v) {{
  auto i = static_cast<size_t>(v);
  return i < {count} ? {k}[i].data() : "";
}}

bool from_string(std::string_view s, {n}* out) {{
  int i = detail::enum_index(s, {k}, {count});
  if (i < 0) return false;
  *out = static_cast<{n}>(i);
  return true;
}}

Status decode(const Json& j, {n}* out, const std::string& path) {{
  return detail::decode_enum(j, out, path, {k}, {count});
}}

void encode({n} v, Json* out) {{ detail::set_string(out, to_string(v)); }}
"""


def gen_struct_source(m, t):
    n, fields = t["name"], m.wire_fields(t)
    fn, names = f"decode_{snake_case(n)}_field", f"k{n}Names"
    lines = ["namespace {", ""]
    lines.append(f"constexpr std::string_view {names}[] = {{")
    lines += [f"    {json.dumps(f['json'])}," for f in fields]
    lines.append("};")
    lines.append("")
    lines.append(f"Status {fn}(void* obj, int field, const Json& v, const std::string& path) {{")
    if fields:
        lines.append(f"  auto* o = static_cast<{n}*>(obj);")
        lines.append("  switch (field) {")
        for i, f in enumerate(fields):
            call = "detail::decode_strslice" if f["parsed"] == "strslice" else "decode"
            lines.append(f"    case {i}: return {call}(v, &o->{f['member']}, path);")
        lines.append("  }")
    else:
        lines += ["  (void)obj, (void)field, (void)v, (void)path;"]
    lines += ["  return ok_status();", "}", "", "}  // namespace", ""]
    lines.append(f"Status decode(const Json& j, {n}* out, const std::string& path) {{")
    lines.append(f"  return detail::decode_object(j, path, {names}, {len(fields)}, "
                 f"&out->unknown_fields, out, {fn});")
    lines.append("}")
    lines.append("")
    lines.append(f"void encode(const {n}& v, Json* out) {{")
    lines.append("  auto& m = detail::begin_object(out);")
    for f in fields:
        put = "put_omitempty" if f.get("omitempty") else "put"
        lines.append(f"  detail::{put}(m, {json.dumps(f['json'])}, v.{f['member']});")
    lines.append("  detail::put_unknown(m, v.unknown_fields);")
    lines.append("}")
    return "\n".join(lines) + "\n"


def gen_source(m, area, registry):
    lines = [banner(m.paths[area]).rstrip()]
    lines.append(f'#include "model/{area}_json.h"')
    lines += [f'#include "model/{d}_json.h"' for d in m.area_deps(area)]
    if registry:
        lines.append('#include "model/registry.h"')
    lines += ["", "#include <string_view>", "", "namespace berth::model {", ""]
    parts = []
    for t in m.areas[area]:
        parts.append(gen_enum_source(t) if "enum" in t else gen_struct_source(m, t))
    if registry and m.areas[area]:
        parts.append(gen_registry_table(m, area))
    lines.append("\n".join(parts))
    lines.append("}  // namespace berth::model")
    return "\n".join(lines) + "\n"


def gen_registry_table(m, area):
    """The area's part of the registry, at the end of <area>_json.cpp."""
    lines = ["namespace {", "", "const TypeInfo kTypes[] = {"]
    lines += [f'    {{"{area}", "{t["name"]}", round_trip<{t["name"]}>}},' for t in m.areas[area]]
    lines += ["};", "", "}  // namespace", ""]
    lines += [f"std::span<const TypeInfo> {area}_types() {{ return kTypes; }}", ""]
    return "\n".join(lines)


def gen_registry(m):
    areas = sorted(a for a in m.areas if m.areas[a])
    header = banner("src/model/schema/*.json") + """// Every generated type, with a function that decodes a document as that type and encodes it
// again: tests iterate it to round-trip documents through each type.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <span>

#include "base/error.h"

namespace berth::model {

using Json = nlohmann::json;  // as base/json.h, whose nlohmann/json.hpp this file does not need

struct TypeInfo {
  const char* area;
  const char* name;
  Status (*round_trip)(const Json& in, Json* out);
};

// Every type of every area, in schema order.
std::span<const TypeInfo> all_types();

// Decodes `in` as T and encodes the result into *out.
template <class T>
Status round_trip(const Json& in, Json* out) {
  T v{};
  BERTH_TRY(decode(in, &v, ""));
  encode(v, out);
  return ok_status();
}

"""
    header += "".join(f"std::span<const TypeInfo> {a}_types();\n" for a in areas)
    header += "\n}  // namespace berth::model\n"
    lines = [banner("src/model/schema/*.json").rstrip(), '#include "model/registry.h"', ""]
    lines += ["#include <vector>", "", "namespace berth::model {", ""]
    lines += ["std::span<const TypeInfo> all_types() {",
              "  static const std::vector<TypeInfo> all = [] {",
              "    std::vector<TypeInfo> out;"]
    lines += [f"    for (const auto& t : {a}_types()) out.push_back(t);" for a in areas]
    lines += ["    return out;", "  }();", "  return all;", "}", ""]
    lines.append("}  // namespace berth::model")
    return header, "\n".join(lines) + "\n"


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="the generated/model directory")
    ap.add_argument("--registry", action="store_true", help="also write registry.h/.cpp")
    ap.add_argument("schemas", nargs="*")
    args = ap.parse_args()
    try:
        m = Model(args.schemas)
        m.check_area_cycles()
        files = {}
        for area in m.areas:
            files[f"{area}.h"] = gen_header(m, area)
            files[f"{area}_json.h"] = gen_json_header(m, area)
            files[f"{area}_json.cpp"] = gen_source(m, area, args.registry)
        if args.registry:
            files["registry.h"], files["registry.cpp"] = gen_registry(m)
    except SchemaError as e:
        print(f"modelgen: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    for name, text in files.items():
        write_if_changed(os.path.join(args.out, name), text)
    for name in os.listdir(args.out):  # an area whose schema is gone must not linger
        if name.endswith((".h", ".cpp")) and name not in files:
            os.remove(os.path.join(args.out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
