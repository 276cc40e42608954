#!/usr/bin/env python3
"""Checks src/model/schema/*.json: valid JSON, known keys, every referenced type defined once,
no duplicate type names across areas, no include cycle between areas."""
import json, os, re, sys
SCALARS = {'string', 'bool', 'int64', 'uint64', 'double', 'json'}
AREAS = ['container', 'image', 'network', 'volume', 'exec', 'system', 'build', 'swarm']
def refs(t):
    m = re.fullmatch(r'(list|map)<(.*)>', t)
    return refs(m.group(2)) if m else ([] if t in SCALARS else [t])
def main(d):
    errs = []; types = {}; data = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith('.json'): continue
        try: j = json.load(open(os.path.join(d, f)))
        except Exception as e: errs.append('%s: %s' % (f, e)); continue
        area = j.get('area')
        if area + '.json' != f: errs.append('%s: area %r' % (f, area))
        if set(j) != {'area', 'types'}: errs.append('%s: keys %s' % (f, sorted(j)))
        data[area] = j
        for t in j['types']:
            n = t['name']
            if n in types: errs.append('duplicate type %s in %s and %s' % (n, types[n], area))
            types[n] = area
            extra = set(t) - {'name', 'doc', 'fields', 'embed', 'enum'}
            if extra: errs.append('%s: unknown keys %s' % (n, extra))
            if ('enum' in t) == ('fields' in t): errs.append('%s: needs exactly one of fields/enum' % n)
            if 'enum' in t and len(set(t['enum'])) != len(t['enum']): errs.append('%s: duplicate enum value' % n)
            seen = set()
            for fl in t.get('fields', []):
                extra = set(fl) - {'json', 'type', 'optional', 'omitempty', 'cpp', 'doc'}
                if extra: errs.append('%s.%s: unknown keys %s' % (n, fl.get('json'), extra))
                if fl['json'].lower() in seen: errs.append('%s: duplicate field %s' % (n, fl['json']))
                seen.add(fl['json'].lower())
    deps = {a: set() for a in data}
    for area, j in data.items():
        for t in j['types']:
            used = list(t.get('embed', []))
            for fl in t.get('fields', []):
                used += refs(fl['type'])
            for u in used:
                if u not in types: errs.append('%s.%s: unknown type %s' % (area, t['name'], u)); continue
                if types[u] != area: deps[area].add(types[u])
            for e in t.get('embed', []):
                if e in types and 'fields' not in data[types[e]]['types'][[x['name'] for x in data[types[e]]['types']].index(e)]:
                    errs.append('%s embeds non-struct %s' % (t['name'], e))
    # cycles between areas
    state = {}
    def visit(a, stack):
        if state.get(a) == 1: errs.append('area cycle: ' + ' -> '.join(stack + [a])); return
        if state.get(a) == 2: return
        state[a] = 1
        for b in sorted(deps[a]): visit(b, stack + [a])
        state[a] = 2
    for a in data: visit(a, [])
    for a in sorted(deps): print('%-10s -> %s' % (a, ', '.join(sorted(deps[a])) or '-'))
    print('%d types in %d areas' % (len(types), len(data)))
    for e in errs: print('ERROR', e)
    return 1 if errs else 0
if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../src/model/schema')))
