#!/usr/bin/env python3
"""Lists module cycles of a Rust crate: `scripts/module-cycles.py crates/quipt/src [more/src ...]`.

A module depends on another when its code (not its comments or doc links, not its `#[cfg(test)]`
blocks) names it through a `crate::` / `super::` / `self::` path, directly or through a re-export
(`use crate::Order` counts as a dependency on the module that defines `Order`). One file is one
module. Prints each cycle (a strongly connected group of two or more modules) and exits 1 when
there is one, 0 otherwise. Heuristic by design: it reads text, not the compiler's resolution.
"""

import re
import sys
from pathlib import Path


def module_path(src: Path, file: Path) -> str:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts = parts[:-1]
    return "::".join(parts)


def strip(text: str) -> str:
    """Code only: no comments, no string literals, no `#[cfg(test)]` items."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'r#*"(?:.|\n)*?"#*', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        j = text.find("{", m.end())
        semi = text.find(";", m.end())
        if semi != -1 and (j == -1 or semi < j):
            i = semi + 1
            continue
        depth, k = 0, j
        while k < len(text):
            depth += text[k] == "{"
            depth -= text[k] == "}"
            k += 1
            if depth == 0:
                break
        i = k
    out.append(text[i:])
    return "".join(out)


def use_paths(code: str):
    """Every `a::b::c` path named in code, with `use` groups expanded."""

    def expand(prefix: str, body: str):
        items, depth, cur = [], 0, ""
        for ch in body:
            if ch == "," and depth == 0:
                items.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        items.append(cur)
        for item in items:
            item = re.sub(r"\s+as\s+\w+$", "", item.strip())
            if not item:
                continue
            m = re.match(r"^([\w:]*?)(?:::)?\{(.*)\}$", item, re.S)
            if m:
                yield from expand(f"{prefix}{m.group(1)}::" if m.group(1) else prefix, m.group(2))
            else:
                yield prefix + item

    for m in re.finditer(r"\buse\s+([^;]+);", code):
        yield from expand("", re.sub(r"\s+", "", m.group(1)))
    for m in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", code):
        yield m.group(1)


def absolute(module: str, path: str, is_dir_module: bool):
    parts = path.split("::")
    base = module.split("::") if module else []
    if parts[0] == "crate":
        return parts[1:]
    if parts[0] not in ("super", "self"):
        return None
    # `super` inside foo/bar.rs (module foo::bar) is foo; inside foo/mod.rs (module foo) it is the
    # crate root; `self` is the module itself.
    cur = base
    while parts and parts[0] in ("super", "self"):
        if parts[0] == "super":
            cur = cur[:-1]
        parts = parts[1:]
    return cur + parts


def main(srcs):
    found = False
    for src in map(Path, srcs):
        files = sorted(src.rglob("*.rs"))
        modules, code = set(), {}
        for f in files:
            mod = module_path(src, f)
            modules.add(mod)
            code[mod] = (strip(f.read_text()), f.name == "mod.rs")
        # name re-exported by a module -> the module the name comes from
        reexports = {}
        for mod, (text, is_dir) in code.items():
            for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
                for p in use_paths(f"use {m.group(1)};"):
                    parts = p.split("::")
                    target = absolute(mod, p, is_dir) if parts[0] in ("crate", "super", "self") else (
                        (mod.split("::") if mod else []) + parts)
                    if target:
                        reexports[(mod, target[-1])] = target

        def resolve(parts):
            for _ in range(8):
                # longest prefix that is a module
                for n in range(len(parts), -1, -1):
                    cand = "::".join(parts[:n])
                    if cand in modules:
                        rest = parts[n:]
                        if rest and (cand, rest[0]) in reexports:
                            new = reexports[(cand, rest[0])] + rest[1:]
                            if new != parts:
                                parts = new
                                break
                        return cand
                else:
                    return None
            return None

        edges = {m: set() for m in modules}
        for mod, (text, is_dir) in code.items():
            if mod == "":
                continue  # the crate root is the table of contents
            for p in use_paths(text):
                parts = absolute(mod, p, is_dir)
                if parts is None:
                    continue
                target = resolve(parts)
                if target is not None and target != mod and target != "" and not target.startswith(mod + "::"):
                    edges[mod].add(target)

        index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

        def visit(v):
            index[v] = low[v] = counter[0]
            counter[0] += 1
            stack.append(v)
            on.add(v)
            for w in edges[v]:
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    sccs.append(sorted(comp))

        sys.setrecursionlimit(10000)
        for v in sorted(modules):
            if v not in index:
                visit(v)
        if sccs:
            found = True
            for comp in sccs:
                inner = {m: sorted(edges[m] & set(comp)) for m in comp}
                print(f"{src}: cycle among {', '.join(comp)}")
                for m, ts in inner.items():
                    print(f"    {m} -> {', '.join(ts)}")
        else:
            print(f"{src}: no module cycles ({len(modules)} modules)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src"]))
