#!/usr/bin/env python3
"""Checks data/uplink-api.yaml against the routes the HTTPS frontend serves: every route of
core/http/ul-http-api-*.c is documented with its method, and nothing else is. Also parses
the file as YAML when PyYAML is there. Usage: check-openapi.py TOP_SOURCE_DIR"""
import glob, os, re, sys

top = sys.argv[1]
routes = set()
for path in glob.glob(os.path.join(top, 'core', 'http', 'ul-http-api-*.c')):
    for method, pattern in re.findall(r'^\s*\{\s*"([A-Z]+)",\s*"(/api/v1/[^"]*)"', open(path).read(), re.M):
        routes.add((method.lower(), re.sub(r'\{\}', '{}', pattern)))

spec = open(os.path.join(top, 'data', 'uplink-api.yaml')).read()
documented = set()
current = None
for line in spec.splitlines():
    m = re.match(r'^  (/api/v1/\S*):\s*$', line)
    if m:
        current = re.sub(r'\{[^}]*\}', '{}', m.group(1))
        continue
    m = re.match(r'^    (get|put|post|patch|delete):\s*$', line)
    if m and current:
        documented.add((m.group(1), current))
    elif re.match(r'^\S', line):
        current = None

try:
    import yaml
    yaml.safe_load(spec)
except ImportError:
    pass

missing = sorted(routes - documented)
extra = sorted(documented - routes)
for method, path in missing:
    print('not documented: %s %s' % (method.upper(), path))
for method, path in extra:
    print('documented but not served: %s %s' % (method.upper(), path))
if not routes:
    print('no routes found')
    sys.exit(1)
sys.exit(1 if missing or extra else 0)
