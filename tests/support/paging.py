"""Reading a whole cursor-paged list: the role-wide ones (an organization-department queue or inbox)
grow long on the shared Kafka topics, which every test run adds to."""

from __future__ import annotations


def every_page(client, path: str, who) -> dict:
    """The first page's answer, with the items of every page (count: all of them)."""
    answer = client.get(path, query_string={"limit": 200}, headers=who.headers)
    assert answer.status_code == 200, answer.json
    first, items = answer.json, list(answer.json["items"])
    while answer.json["next_cursor"]:
        query = {"limit": 200, "cursor": answer.json["next_cursor"]}
        answer = client.get(path, query_string=query, headers=who.headers)
        assert answer.status_code == 200, answer.json
        items += answer.json["items"]
    return {**first, "items": items, "count": len(items), "next_cursor": None}
