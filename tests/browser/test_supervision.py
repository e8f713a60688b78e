"""Supervision in the browser against the real supervision service: an officer takes a case
through the closed loop (accept, message, finding, order; the unit reports; evaluate), the
reporter follows it with the receipt, and the custodian reveals a named reporter for a reason."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import wait_for
from tests.browser.test_nomination_flow import fill, text


def act(pages, action: str, values: dict[str, str] | None = None, choose: tuple[str, ...] = ()) -> None:
    """Fill the form of one action on the case page and send it."""
    form = f"section[aria-labelledby={action}-heading]"
    for element_id in choose:
        pages.driver.find_element(By.ID, element_id).click()
    for name, value in (values or {}).items():
        field = pages.driver.find_element(By.CSS_SELECTOR, f"{form} [name='{name}']")
        field.clear()
        field.send_keys(value)
    pages.click(f"{form} button[type=submit]")


def open_case(pages, case_id: str) -> None:
    """The case page, once the case has reached the supervision service's projection."""
    pages.open(f"/cases/{case_id}")
    wait_for(lambda: "未找到" not in text(pages.driver) or pages.open(f"/cases/{case_id}"))


def test_an_officer_takes_a_case_through_the_loop_and_the_reporter_follows_it(pages, backdoor) -> None:
    driver = pages.driver
    named = {"anonymous": False, "reporter": {"name": "李四", "phone": "13800138000"}}
    clue = backdoor.clue(visitor="192.0.2.40", **named)
    case_id = clue["case_id"]

    pages.sign_in("v-001")
    assert pages.check("home-officer") == []
    pages.open("/cases")
    assert f"/cases/{case_id}" in driver.page_source
    assert pages.check("cases-queue") == []
    open_case(pages, case_id)
    assert pages.check("case-received") == []
    act(pages, "accept", {"cadre_id": "c-001"})
    assert "调查中" in text(driver)
    act(pages, "message", {"text": "请问是哪一个窗口？"})
    act(pages, "finding", {"summary": "经查属实"})  # no result chosen: the service says so beside the field
    assert driver.find_elements(By.CSS_SELECTOR, "#finding-result-error"), text(driver)
    assert pages.check("case-finding-errors") == []
    act(
        pages,
        "finding",
        {"summary": "经查属实，多次无人值守。"},
        choose=("finding-result-substantiated", "finding-outcome-warn"),
    )
    assert "已作出认定" in text(driver)
    assert pages.check("case-found") == []
    act(pages, "order", {"unit": "county-7", "due_days": "10", "requirement": "建立窗口值班制度，公开值班电话。"})
    assert "整改中" in text(driver)
    assert pages.check("case-rectifying") == []

    pages.sign_in("u-001")  # the responsible unit
    pages.open("/cases")
    assert pages.check("cases-unit") == []
    open_case(pages, case_id)
    act(pages, "report", {"what_was_done": "已建立值班制度，值班电话已公开。"})
    assert "成效评估中" in text(driver)
    assert pages.check("case-evaluating-unit") == []

    pages.sign_in("v-001")
    open_case(pages, case_id)
    act(pages, "evaluate", {"note": "回访群众，反映问题已解决。"}, choose=("evaluate-effective-true",))
    assert "已办结" in text(driver)
    assert pages.check("case-closed") == []
    pages.open("/inbox")
    assert pages.check("inbox-officer") == []

    pages.sign_out()
    pages.open("/report/status")
    fill(driver, {"receipt": clue["receipt"]})
    pages.click("main form button[type=submit]")
    assert "已办结" in text(driver) and "请问是哪一个窗口？" in text(driver)
    fill(driver, {"text": "是二号窗口，谢谢。"})
    pages.click("form[action='/report/messages'] button")
    assert "是二号窗口，谢谢。" in text(driver)
    assert pages.check("report-status-closed") == []


def test_an_action_that_no_longer_fits_gets_a_clear_message(pages, backdoor) -> None:
    case_id = backdoor.clue(visitor="192.0.2.41")["case_id"]
    pages.sign_in("v-001")
    open_case(pages, case_id)  # "received": accept or dismiss
    backdoor.accept(case_id)  # another officer was quicker
    act(pages, "dismiss", {"reason": "重复反映"})
    assert pages.driver.find_element(By.CSS_SELECTOR, ".notice.warn[role=alert]").is_displayed()
    assert "调查中" in text(pages.driver)
    assert pages.check("case-stale") == []


def test_the_custodian_reveals_a_named_reporter_for_a_stated_reason(pages, backdoor) -> None:
    driver = pages.driver
    named = {"anonymous": False, "reporter": {"name": "王五", "phone": "010-12345678"}}
    case_id = backdoor.clue(visitor="192.0.2.42", **named)["case_id"]
    pages.sign_in("k-001")
    open_case(pages, case_id)
    assert pages.check("case-custodian") == []
    pages.click("form[action$='/identity'] button[type=submit]")  # no reason: refused beside the field
    assert driver.find_elements(By.CSS_SELECTOR, "#identity-reason[aria-invalid=true]")
    fill(driver, {"reason": "核查是否为诬告陷害，依规调取。"})
    pages.click("form[action$='/identity'] button[type=submit]")
    assert "王五" in text(driver) and "010-12345678" in text(driver)
    assert pages.check("case-identity") == []
    pages.open(f"/cases/{case_id}")
    assert "王五" not in text(driver)  # shown once, in the answer to that request
    assert "已向保管人披露身份" in text(driver)  # the access is in the case's history
