#!/usr/bin/env python3
"""Fails when a library under src/ includes another that DESIGN.md does not let it use."""
import os
import re
import sys

ALLOWED = {
    "base": set(),
    "model": {"base"},  # the typed Engine API model (generated from src/model/schema)
    "oci": {"base"},
    "runtime": {"base", "oci"},
    "shim": {"base", "runtime", "oci"},
    "store": {"base"},
    "image": {"base", "model", "oci", "store"},
    "network": {"base", "model", "store"},
    "volume": {"base", "model", "store"},
    "builder": {"base", "model", "oci", "image", "store"},
    "engine": {"base", "model", "oci", "runtime", "shim", "store", "image", "network", "volume", "builder"},
    "api": {"base", "model"},          # http and client: what the CLI links
    "api/server": {"base", "model", "api", "engine", "image", "store", "oci", "runtime", "shim"},
    "cli": {"base", "model", "api", "compose"},  # src/cli/compose/ drives the compose library
    "compose": {"base", "model", "api"},
    "swarm": {"base", "model", "engine", "network", "store", "image", "oci", "runtime", "shim"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
bad = []
for dirpath, _, files in os.walk(top):
    rel = os.path.relpath(dirpath, top)
    lib = rel.split(os.sep)[0]
    if lib == "api" and rel.split(os.sep)[1:2] == ["server"]:
        lib = "api/server"
    if lib not in ALLOWED:
        continue
    for f in files:
        if not f.endswith((".h", ".cpp")):
            continue
        path = os.path.join(dirpath, f)
        with open(path, errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1).split("/")
                dep = target[0]
                if dep == "api" and target[1:2] == ["server"]:
                    dep = "api/server"
                if "/" not in m.group(1) or dep == lib:
                    continue
                if dep not in ALLOWED[lib]:
                    bad.append(f"{os.path.relpath(path, top)}:{n}: {lib} may not include {m.group(1)}")
if bad:
    print("layering violations (see DESIGN.md):")
    print("\n".join(bad))
    sys.exit(1)
print("layering: ok")
