#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks a node's metrics text for test_metrics.sh with a real parser of
# the Prometheus text format (python3-prometheus-client, from Debian).
#
#   metrics_check.py parse FILE            families as JSON {name: {type, samples}}
#   metrics_check.py same FILE1 FILE2      both hold the same families
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def families(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for fam in text_string_to_metric_families(text):
        if fam.name in out:
            sys.exit("family %s appears twice" % fam.name)
        if not fam.documentation:
            sys.exit("family %s has no HELP" % fam.name)
        if fam.type == "unknown":
            sys.exit("family %s has no TYPE" % fam.name)
        out[fam.name] = {
            "type": fam.type,
            "samples": [[s.name, s.labels, s.value] for s in fam.samples],
        }
    if not out:
        sys.exit("no metric families in %s" % path)
    return out


def main():
    if sys.argv[1] == "parse":
        print(json.dumps(families(sys.argv[2]), sort_keys=True))
    elif sys.argv[1] == "same":
        a, b = families(sys.argv[2]), families(sys.argv[3])
        if sorted(a) != sorted(b):
            sys.exit("families differ: %s" % sorted(set(a) ^ set(b)))
    else:
        sys.exit("usage: metrics_check.py parse FILE | same FILE1 FILE2")


main()
