"""Groups the release app's code by part (each page and component of the console, each crate
and `shared` module), from `twiggy top -n 1000000 -f csv` of the unstripped wasm on stdin. Prints
each part's share of the code and its estimated cost as sent: the share times the wasm's
brotli size (argv[1], bytes). Data, names and custom sections are left out (wasm-opt strips
the names; the data is counted once, under "data")."""
import csv
import re
import sys

wasm_br = int(sys.argv[1])
parts = {}
code_total = 0
for row in csv.DictReader(sys.stdin):
    name, size = row["Name"], int(row["ShallowSize"])
    # Names (stripped by wasm-opt) and wasm-bindgen's descriptors (removed by its CLI).
    if "function names" in name or name.startswith(("custom section", "Σ", "__wbindgen_describe", "export \"__wbindgen_describe", "elem[")):
        continue
    if name.startswith("data segment") or name.startswith("data["):
        part = "data (strings, tables)"
    else:
        m = re.search(r"frontend::(pages|components)::(\w+)", name)
        if m:
            part = f"{m.group(1)[:-1]} {m.group(2)}"
        else:
            m = re.search(r"shared::(\w+)", name)
            crates = re.findall(r"([a-z_][a-z0-9_]*)::", name)
            if m:
                part = f"shared::{m.group(1)}"
            elif crates:
                # The first crate named is the one whose generic was instantiated.
                part = crates[0]
            else:
                part = "other"
    parts[part] = parts.get(part, 0) + size
    code_total += size
rows = sorted(parts.items(), key=lambda kv: -kv[1])
print(f"{'part':<36} {'raw bytes':>10} {'share':>7} {'~KB sent':>9}")
for part, size in rows[:45]:
    print(f"{part:<36} {size:>10} {100 * size / code_total:>6.1f}% {wasm_br * size / code_total / 1024:>9.1f}")
rest = sum(size for _, size in rows[45:])
print(f"{'(the rest)':<36} {rest:>10} {100 * rest / code_total:>6.1f}% {wasm_br * rest / code_total / 1024:>9.1f}")
