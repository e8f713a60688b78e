"""Case kinds and clue categories: configuration data, with defaults taken from the source.

Nanyang collects clues about "lying-flat" cadres (躺平式干部) in ten aspects. The source quotes
three of them (satisfied with having held meetings; talks of speed but shows no results; says
nothing and is never available when people need something); the other seven defaults paraphrase
the same campaign's usual list. Huzhou follows the people's pain points in a closed loop, hence
the categories of a `matter`. An objection to a nomination on public notice has one category.
A deployment replaces or extends these through `SupervisionConfig.from_mapping`.
"""

from __future__ import annotations

from dataclasses import dataclass

CADRE = "cadre"
"""A clue about a person: a "lying-flat" cadre. Subject `{name, unit, position}`."""
MATTER = "matter"
"""A pain point about a unit's work. Subject `{unit}`."""
OBJECTION = "objection"
"""An objection to a nomination on public notice (公示). Subject `{nomination_id}`."""
KINDS = (CADRE, MATTER, OBJECTION)


@dataclass(frozen=True)
class Category:
    """One configured category: a stable `id`, the `kind` of case it belongs to, its titles."""

    id: str
    kind: str
    title: str
    title_zh: str = ""


def _cadre(id: str, title: str, title_zh: str) -> Category:
    return Category(id, CADRE, title, title_zh)


def _matter(id: str, title: str, title_zh: str) -> Category:
    return Category(id, MATTER, title, title_zh)


DEFAULT_CATEGORIES = (
    _cadre("meetings-only", "Satisfied with having held meetings; nothing is carried out", "满足于开了会、发了文"),
    _cadre("talk-no-results", "Talks of speed but shows no results", "口号喊得响、工作没实绩"),
    _cadre("never-available", "Says nothing; never there when people need something", "平时不吭声、有事找不到"),
    _cadre("passes-the-buck", "Passes matters on to other units or up the line", "推诿扯皮、上推下卸"),
    _cadre("avoids-responsibility", "Does nothing for fear of making mistakes", "怕担责、不作为"),
    _cadre("formalism", "Paperwork, reports and photos instead of results", "形式主义、留痕不留绩"),
    _cadre("drags-out-matters", "Drags out the people's matters past their deadlines", "办事拖拉、久拖不决"),
    _cadre("waits-for-orders", "Waits for orders: no ideas, no initiative", "等靠要、无思路无举措"),
    _cadre("absent-from-post", "Away from the post in working hours, or on private matters", "工作时间离岗、忙私事"),
    _cadre("cold-to-the-people", "Cold to the people: hard to reach, nothing gets done", "门难进、脸难看、事难办"),
    _matter("traffic-and-parking", "Traffic jams and parking", "交通拥堵、停车难"),
    _matter("public-services", "Public services that are hard to use (permits, queues)", "办事难、排队长"),
    _matter("living-conditions", "Housing, water, power and the neighbourhood", "住房、水电与居住环境"),
    _matter("business-environment", "Obstacles for enterprises and investment", "营商环境障碍"),
    _matter("other-pain-point", "Another pain point people care about", "其他群众关心的痛点"),
    Category("notice-objection", OBJECTION, "Objection to a nomination on public notice", "对公示对象的异议"),
)
"""Ten categories for cadres (Nanyang), five for matters (Huzhou), one for objections."""
