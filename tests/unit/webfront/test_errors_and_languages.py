"""What a person sees when a service is down or refuses; Chinese by default, English on request."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from tests.support.stack import ROOT
from tests.unit.webfront.conftest import Visitor, adapter_for, web_app


@pytest.fixture
def without(services, web_config):
    """A visitor of the site while one service does not answer."""

    def visitor_of(down: str) -> Visitor:
        apps = {name: app for name, app in services.apps().items() if name != down}
        return Visitor(web_app(web_config, adapter_for(apps)).test_client())

    return visitor_of


def test_a_service_that_is_down_gets_a_clear_page_naming_it(without) -> None:
    response = without("supervision").get("/board")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "服务暂不可用" in page and "监督服务暂时无法响应" in page


def test_the_rest_of_the_site_works_while_a_service_is_down(without) -> None:
    assert without("supervision").sign_in("c-001").get("/nominations/new").status_code == 200


def test_a_form_sent_while_its_service_is_down_keeps_what_was_typed(without) -> None:
    visitor = without("nomination").sign_in("c-001")
    response = visitor.post("/nominations/new", {"statement": "一段很长的陈述", "achievement_rows": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "您填写的内容已保留" in page and "一段很长的陈述" in page


def test_an_expired_token_sends_the_person_back_to_sign_in(visitor) -> None:
    visitor.sign_in("c-001")
    with visitor.client.session_transaction() as session:
        session["token"] = "expired"  # the fakes answer 401 to it, as a service does to an expired token
    response = visitor.get("/nominations")
    assert response.status_code == 302 and response.headers["Location"] == "/?next=/nominations"
    assert "登录已过期" in visitor.get("/").get_data(as_text=True)


def test_an_unknown_nomination_is_a_not_found_page(visitor) -> None:
    response = visitor.sign_in("c-001").get("/nominations/nope")
    assert response.status_code == 404 and "未找到" in response.get_data(as_text=True)


def test_chinese_is_the_default_and_english_is_one_click_away(visitor) -> None:
    page = visitor.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "登录" in page
    response = visitor.get("/language/en?next=/board")
    assert response.status_code == 302 and response.headers["Location"] == "/board"
    page = visitor.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page
    assert visitor.get("/language/en?next=https://evil.example/").headers["Location"] == "/"


def test_every_message_has_a_chinese_translation() -> None:
    path = ROOT / "services" / "web" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    catalogue = read_po(path.open("rb"))
    untranslated = [m.id for m in catalogue if m.id and not (m.string[0] if isinstance(m.string, tuple) else m.string)]
    assert untranslated == []
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


def test_the_english_api_messages_are_translated_where_known(visitor) -> None:
    from services.web.i18n import message

    with visitor.client.application.test_request_context("/"):
        assert message("Missing data for required field.") == "此项为必填。"
        assert message("Length must be between 1 and 200.") == "此项为必填，最多 200。"
        assert message("Length must be between 3 and 32.") == "长度须在 3 到 32 之间。"
        assert message("Something else.") == "Something else."
