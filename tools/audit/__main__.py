"""cadreflow-audit: check a cadreflow log against the signed tree heads an outsider kept.

  cadreflow-audit --sqlite var/cadreflow.db --public-key head-key.pub.pem --heads var/heads/
  cadreflow-audit --kafka 127.0.0.1:9092 --public-key KEY.pem --heads http://host:8001/api/v1/transparency/heads/latest

It reads every record of the audited topics from the start, walks every stream's hash chain
from genesis, rebuilds the Merkle tree of each partition, verifies each head's signature and
compares its roots with the rebuilt trees (heads that all match one append-only tree are
consistent with each other). Exit 0: no divergence; 1: a divergence (the first is named: which
event, which head); 2: the log, a head or the key could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from shared.eventlog.topics import AUDITED_TOPICS
from tools.audit.core import Audit, Finding
from tools.audit.sources import (
    kafka_records,
    kafka_reread,
    load_heads,
    load_verifier,
    partitions_of,
    sqlite_records,
    sqlite_reread,
)

DIVERGED, UNREADABLE = 1, 2


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cadreflow-audit", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--sqlite", metavar="FILE", help="the embedded log file (opened read-only)")
    source.add_argument("--kafka", metavar="BOOTSTRAP", help="Kafka bootstrap servers")
    parser.add_argument("--public-key", required=True, metavar="PEM|URL", help="the head-signing public key")
    parser.add_argument("--heads", nargs="*", default=[], metavar="FILE|DIR|URL", help="signed heads to check")
    parser.add_argument("--topic", action="append", help=f"audit these topics (default: {' '.join(AUDITED_TOPICS)})")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> tuple[Audit, float]:
    topics = args.topic or list(AUDITED_TOPICS)
    verifier, heads = load_verifier(args.public_key), load_heads(args.heads)
    started = time.perf_counter()
    audit = Audit()
    backend, target = ("sqlite", args.sqlite) if args.sqlite else ("kafka", args.kafka)
    for topic, partition in partitions_of(backend, target, topics):
        audit.forest.ensure(topic, partition)
    if backend == "sqlite":
        records, reread = sqlite_records(target, topics), sqlite_reread(target)
    else:
        records, reread = kafka_records(target, topics), kafka_reread(target)
    for record in records:
        audit.add(record)
    audit.check_heads(heads, verifier, reread)
    return audit, time.perf_counter() - started


def report(audit: Audit, seconds: float, as_json: bool) -> None:
    first = audit.first()
    summary = {
        "records": audit.records,
        "events": audit.events,
        "undecodable": audit.undecodable,
        "streams": len(audit.gate.streams),
        "heads": audit.heads,
        "seconds": round(seconds, 3),
        "valid": first is None,
        "first_divergence": first.to_json() if first else None,
        "findings": [f.to_json() for f in audit.ordered()],
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"cadreflow-audit: {audit.records} records ({audit.events} events, {audit.undecodable} undecodable) "
        f"in {len(audit.gate.streams)} streams, {audit.heads} signed heads, {seconds:.2f} s"
    )
    if not audit.heads:
        print("  no signed head given: the chains are checked, but nothing outside the log anchors them")
    for finding in audit.ordered():
        print(f"  {finding.kind}: {finding.message}")
    if first is None:
        print("OK: every chain links from genesis and every head matches the log")
    else:
        print(f"FIRST DIVERGENCE: {_describe(first)}")


def _describe(finding: Finding) -> str:
    """Which record (and event) the divergence starts at; the message names the head."""
    where = f" at {finding.log_id} offset {finding.offset} (leaf {finding.leaf})" if finding.offset is not None else ""
    event, what = finding.event, ""
    if event:
        what = f", event {event['event_id']} ({event['type']} v{event['stream_version']} of {event['stream_id']})"
    return f"{finding.kind}{where}{what}: {finding.message}"


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        audit, seconds = run(args)
    except Exception as error:  # a missing file, a malformed head or key, a broker out of reach
        print(f"cadreflow-audit: cannot read what it was given: {error!r}", file=sys.stderr)
        return UNREADABLE
    report(audit, seconds, args.json)
    return DIVERGED if audit.findings else 0


if __name__ == "__main__":
    sys.exit(main())
