#!/usr/bin/env python3
# check-golden.py — cross-check a golden .json against its .mi with an
# independent, deliberately simple MI parser (regular expressions + recursion).
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: check-golden.py userspace.mi userspace.json   (only well-formed lines)
import json, re, sys

ESC = {'n': 10, 't': 9, 'r': 13, 'b': 8, 'f': 12, 'v': 11, 'a': 7, 'e': 27,
       '"': 34, '\\': 92, "'": 39, '?': 63}

def cstring(s, i):
    assert s[i] == '"'
    i += 1
    out = bytearray()
    while s[i] != '"':
        if s[i] == '\\':
            m = re.match(r'[0-7]{1,3}', s[i + 1:])
            if m:
                out.append(int(m.group(0), 8)); i += 1 + len(m.group(0)); continue
            out.append(ESC[s[i + 1]]); i += 2; continue
        out += s[i].encode('latin-1'); i += 1
    return out.decode('utf-8', 'surrogateescape'), i + 1

def value(s, i):
    if s[i] == '"':
        return cstring(s, i)
    close = '}' if s[i] == '{' else ']'
    items, i = [], i + 1
    while s[i] != close:
        key = None
        m = re.match(r'([^=,{}\[\]"]+)=', s[i:])
        if m:
            key, i = m.group(1), i + len(m.group(0))
        v, i = value(s, i)
        items.append([key, v] if (key is not None or close == '}') else v)
        if s[i] == ',':
            i += 1
    return ({'tuple': items} if close == '}' else {'list': items}), i + 1

def record(line):
    if line.startswith('(gdb)'):
        return {'type': 'prompt'}
    if line[0] in '~@&':
        return {'type': {'~': 'console', '@': 'target', '&': 'log'}[line[0]],
                'text': cstring(line, 1)[0]}
    m = re.match(r'(\d*)([\^*+=])([\w-]+)', line)
    token, kind, klass = m.groups()
    v, _ = value('{' + line[m.end() + 1:] + '}', 0) if m.end() < len(line) else ({'tuple': []}, 0)
    return {'type': {'^': 'result', '*': 'exec', '+': 'status', '=': 'notify'}[kind],
            'token': int(token) if token else None, 'class': klass, 'results': v['tuple']}

raw = open(sys.argv[1], 'rb').read().decode('latin-1')
lines = [l for l in re.split(r'\r\n|\r|\n', raw) if l]
golden = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
assert len(lines) == len(golden), (len(lines), len(golden))
for n, (l, g) in enumerate(zip(lines, golden)):
    assert record(l) == g, f'line {n + 1} differs:\n{l}\n{g}'
print(f'{sys.argv[2]}: {len(golden)} records agree with the reference parser')
